package dev.clavis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaults_are_valid_and_use_sqlite_in_the_data_directory() {
        Config config = Config.defaults().validate();
        assertEquals("jdbc:sqlite:" + Path.of("data", "clavis.db"), config.jdbcUrl());
        assertEquals(8080, config.httpPort());
        assertEquals(18080, config.grpcPort());
    }

    @Test
    void validation_names_the_setting_that_is_wrong() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().withPorts(70000, 0).validate());
        assertTrue(port.getMessage().startsWith("port:"), port.getMessage());
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().withDatabase(null, "jdbc:mysql://db/x").validate());
        assertTrue(url.getMessage().startsWith("database-url:"), url.getMessage());
        IllegalArgumentException tls = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().withGrpcTls(Path.of("cert.pem"), null).validate());
        assertTrue(tls.getMessage().startsWith("grpc-tls-cert and grpc-tls-key"), tls.getMessage());
        IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().withHost("every-interface").validate());
        assertTrue(host.getMessage().startsWith("host:"), host.getMessage());
        assertEquals("127.0.0.1", Config.defaults().withHost("127.0.0.1").validate().host());
    }

    @Test
    void every_wrong_setting_is_named_at_once_one_per_line() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().withPorts(-1, 70000).withLimits(10, -5).validate());
        assertEquals(java.util.List.of("port: 0 to 65535, got -1", "grpc-port: 0 to 65535, got 70000",
                "max-body-bytes: at least 1024", "rate-limit: 0 (off) or more"), both.getMessage().lines().toList());
    }

    @Test
    void database_passwords_never_reach_the_string_form() {
        Config config = Config.defaults().withDatabase(null, "jdbc:postgresql://db/clavis?user=clavis&password=hunter2&ssl=true");
        assertFalse(config.toString().contains("hunter2"), config.toString());
        assertTrue(config.toString().contains("password=***&ssl=true"), config.toString());
        assertFalse(Config.masked("jdbc:postgresql://clavis:hunter2@db/clavis").contains("hunter2"));
    }
}
