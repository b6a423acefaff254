package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.clarifai.credentials.ClarifaiCallCredentials;
import com.clarifai.grpc.api.GetAppRequest;
import com.clarifai.grpc.api.V2Grpc;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a certificate and key configured, the gRPC door speaks TLS and serves the same calls. */
class GrpcTlsTest {
    @TempDir
    Path dir;

    @Test
    void a_tls_client_that_trusts_the_certificate_gets_answers() throws Exception {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        writeSelfSigned(cert, key);
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withGrpcTls(cert, key))) {
            server.createUser("alice");
            server.createApp("alice", "secure", false);
            String appKey = server.appKey("alice", "secure", List.of("All"), List.of());

            ChannelCredentials trust = TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build();
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.clavis.grpcPort(), trust).build();
            try {
                var app = V2Grpc.newBlockingStub(channel).withCallCredentials(new ClarifaiCallCredentials(appKey))
                        .getApp(GetAppRequest.getDefaultInstance());
                assertEquals(10000, app.getStatus().getCodeValue());
                assertEquals("secure", app.getApp().getId());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static void writeSelfSigned(Path certFile, Path keyFile) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        Files.writeString(certFile, pem(new PemObject("CERTIFICATE", certificate.getEncoded())));
        Files.writeString(keyFile, pem(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()))); // PKCS#8
    }

    private static String pem(PemObject object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
