package dev.clavis.cli;

import dev.clavis.Services;
import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import dev.clavis.keys.KeyService;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clavis pats create} and {@code clavis keys list|revoke}. */
public final class CredentialCommands {
    private CredentialCommands() {}

    @Command(name = "pats", description = "Manage personal access tokens.", subcommands = Pats.Create.class)
    public static final class Pats extends Group {

        @Command(name = "create", description = "Create a PAT with scope All; prints it alone on the last line.")
        static final class Create extends AdminCommand {
            @Option(names = "--user", required = true, paramLabel = "USER_ID")
            String userId;

            @Option(names = "--description", defaultValue = "Created from the command line")
            String description;

            @Override
            public Integer call() {
                PrintWriter out = out();
                try (Services services = openServices()) {
                    if (services.users().find(userId).isEmpty()) {
                        throw new IllegalArgumentException("no user '" + userId + "'");
                    }
                    KeyService.Issued pat = services.keys().create(null, userId, List.of(new KeyService.KeyDraft(
                            CredentialKind.PAT, description, List.of(), List.of(), "", "", null))).get(0);
                    out.println("Created personal access token " + pat.credential().publicId() + " for " + userId
                            + ". It is shown once; keep it secret:");
                    out.println(pat.secret().reveal());
                }
                return 0;
            }
        }
    }

    @Command(name = "keys", description = "List and revoke app keys and PATs.", subcommands = {Keys.ListKeys.class, Keys.Revoke.class})
    public static final class Keys extends Group {

        @Command(name = "list", description = "App keys and PATs: public id, kind, owner, app, description, scopes, "
                + "created, last used, expires. Never a secret.")
        static final class ListKeys extends AdminCommand {
            @Mixin
            Output output = new Output();

            @Option(names = "--user", paramLabel = "USER_ID", description = "Only this user's.")
            String userId;

            @Option(names = "--app", paramLabel = "APP_ID", description = "Only this app's keys.")
            String appId;

            @Override
            public Integer call() {
                List<Credential> keys;
                try (Services services = openServices()) {
                    keys = services.keys().listEvery(Optional.ofNullable(userId), Optional.ofNullable(appId));
                }
                output.print(out(),
                        List.of("id", "kind", "user", "app", "description", "scopes", "created", "last_used", "expires", "networks", "rate_limit"),
                        keys.stream().map(k -> java.util.Arrays.asList(k.publicId(), k.kind().name(), k.userId(), k.appId(),
                                k.description(), String.join(" ", k.scopes()), Output.time(k.createdAt()),
                                Output.time(k.lastUsedAt()), Output.time(k.expiresAt()),
                                k.allowedNetworks().isEmpty() ? "anywhere"
                                        : String.join(" ", k.allowedNetworks().stream().map(Object::toString).toList()),
                                k.rateLimit() == null ? "default" : k.rateLimit() == 0 ? "unlimited" : k.rateLimit() + "/s")).toList());
                return 0;
            }
        }

        @Command(name = "revoke", description = "Delete a key or PAT by public id: refused on every node at once, as DeleteKey.")
        static final class Revoke extends AdminCommand {
            @Parameters(index = "0", paramLabel = "KEY_ID", description = "The public id, as keys list shows it.")
            String publicId;

            @Override
            public Integer call() {
                Credential revoked;
                try (Services services = openServices()) {
                    revoked = services.keys().revoke(publicId, "revoked by an administrator");
                }
                out().println("Revoked " + revoked.kind().name() + " " + revoked.publicId()
                        + " of " + revoked.userId());
                return 0;
            }
        }
    }
}
