package dev.clavis.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private final ClientAddresses behindProxies = new ClientAddresses(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")));

    @Test
    void ranges_hold_the_addresses_they_name_in_both_families() {
        Cidr v4 = Cidr.parse("192.168.4.0/22");
        assertTrue(v4.contains(Cidr.address("192.168.7.255").orElseThrow()));
        assertFalse(v4.contains(Cidr.address("192.168.8.0").orElseThrow()));
        assertTrue(v4.contains(Cidr.address("::ffff:192.168.5.1").orElseThrow()), "IPv4-mapped IPv6 counts as IPv4");
        Cidr v6 = Cidr.parse("2001:db8::/32");
        assertTrue(v6.contains(Cidr.address("[2001:db8:ffff::1]").orElseThrow()));
        assertFalse(v6.contains(Cidr.address("2001:db9::1").orElseThrow()));
        assertFalse(v6.contains(Cidr.address("192.168.4.1").orElseThrow()));
        assertTrue(Cidr.parse("203.0.113.9").contains(Cidr.address("203.0.113.9").orElseThrow()), "an address alone is a /32");
        assertEquals("192.168.4.0/22", Cidr.parse("192.168.5.77/22").toString());
        assertTrue(Cidr.parse("0.0.0.0/0").contains(Cidr.address("8.8.8.8").orElseThrow()));
    }

    @Test
    void names_and_nonsense_are_not_ranges() {
        for (String bad : List.of("localhost", "10.0.0.0/33", "10.0.0.0/x", "::/129", "", "10.0.0", "1.2.3.4/-1")) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
        assertTrue(Cidr.address("example.com").isEmpty(), "no name lookups");
    }

    @Test
    void forwarded_addresses_count_only_from_a_trusted_proxy() {
        assertEquals("203.0.113.5", behindProxies.of("203.0.113.5", List.of("198.51.100.1")), "anyone can write the header");
        assertEquals("198.51.100.1", behindProxies.of("10.1.2.3", List.of("198.51.100.1")));
        assertEquals("198.51.100.1", new ClientAddresses(List.of()).of("198.51.100.1", List.of("1.1.1.1")), "none trusted by default");
    }

    @Test
    void the_walk_goes_right_to_left_past_trusted_hops_only() {
        // A client may send its own X-Forwarded-For; the proxies append to it.
        assertEquals("198.51.100.1", behindProxies.of("10.0.0.2", List.of("6.6.6.6, 198.51.100.1, 10.9.9.9")));
        assertEquals("198.51.100.1", behindProxies.of("10.0.0.2", List.of("6.6.6.6", "198.51.100.1")), "several header lines");
        assertEquals("10.9.9.9", behindProxies.of("10.0.0.2", List.of("not-an-address, 10.9.9.9")), "garbage ends the walk");
        assertEquals("10.0.0.2", behindProxies.of("10.0.0.2", List.of()), "a trusted peer forwarding nothing is the client");
        assertEquals("2001:db8:0:0:0:0:0:7", behindProxies.of("fd12::1", List.of("2001:db8::7")));
    }
}
