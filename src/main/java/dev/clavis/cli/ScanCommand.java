package dev.clavis.cli;

import dev.clavis.Services;
import dev.clavis.auth.Credential;
import dev.clavis.auth.Secrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code clavis scan PATH… [--revoke]}: finds this server's secrets in files (the prefix and the
 * checksum make a false match very unlikely) and says where and which credential, never the
 * secret. Exits 1 while a live one was found and left working, for a CI step to fail on.
 */
@Command(name = "scan", description = "Find Clavis secrets in files: prints file:line, kind and the credential's public id "
        + "(never the secret); exits 1 if a live one was found and not revoked.")
public final class ScanCommand extends AdminCommand {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, or directories to walk.")
    List<Path> paths;

    @Option(names = "--revoke", description = "Revoke every live credential found, on every node, recording why in the audit log.")
    boolean revoke;

    private int live;

    @Override
    public Integer call() {
        try (Services services = openServices()) {
            for (Path path : paths) {
                if (!Files.exists(path)) throw new IllegalArgumentException("scan: no such file or directory: " + path);
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile).sorted().forEach(file -> scan(services, file));
                } catch (IOException e) {
                    throw new UncheckedIOException("scan: cannot read " + path, e);
                }
            }
        }
        return live > 0 && !revoke ? 1 : 0;
    }

    private void scan(Services services, Path file) {
        // Bytes as Latin-1: any file reads, and the secrets' ASCII stays as it is.
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                for (String secret : Secrets.findIn(line)) report(services, file + ":" + number, secret);
            }
        } catch (IOException e) {
            out().println(file + ": not read (" + e.getMessage() + ")");
        }
    }

    private void report(Services services, String where, String secret) {
        String kind = Secrets.kindOf(secret).orElseThrow().name();
        Optional<Credential> credential = revoke
                ? services.keys().revokeSecret(secret, "leaked: found in " + where)
                : services.keys().bySecret(secret);
        if (credential.isEmpty()) {
            out().println(where + ": " + kind + " not a live credential of this server");
            return;
        }
        live++;
        Credential c = credential.get();
        out().println(where + ": " + kind + " " + c.publicId() + " of " + c.userId() + (c.appId() == null ? "" : "/" + c.appId())
                + (revoke ? " revoked" : " LIVE"));
    }
}
