package dev.clavis.cli;

import dev.clavis.Services;
import dev.clavis.apps.App;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clavis apps list}. */
@Command(name = "apps", description = "List apps.", subcommands = AppCommands.ListApps.class)
public final class AppCommands extends Group {

    @Command(name = "list", description = "Apps: owner, id, name, visibility, created.")
    static final class ListApps extends AdminCommand {
        @Mixin
        Output output = new Output();

        @Option(names = "--user", paramLabel = "USER_ID", description = "Only this user's.")
        String userId;

        @Override
        public Integer call() {
            List<App> apps;
            try (Services services = openServices()) {
                apps = services.apps().listEvery(Optional.ofNullable(userId));
            }
            output.print(out(), List.of("user", "id", "name", "visibility", "created"),
                    apps.stream().map(a -> List.of(a.userId(), a.id(), a.name(), a.visibility() == 50 ? "public" : "private",
                            Output.time(a.createdAt()))).toList());
            return 0;
        }
    }
}
