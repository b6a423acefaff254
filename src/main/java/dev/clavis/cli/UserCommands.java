package dev.clavis.cli;

import dev.clavis.Services;
import dev.clavis.users.User;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clavis users create|list|disable|enable|reset-password|delete}. */
@Command(name = "users", description = "Manage users.",
        subcommands = {UserCommands.Create.class, UserCommands.ListUsers.class, UserCommands.Disable.class,
                UserCommands.Enable.class, UserCommands.ResetPassword.class, UserCommands.Delete.class})
public final class UserCommands extends Group {

    /** One user named by id, and the database. */
    abstract static class OnUser extends AdminCommand {
        @Parameters(index = "0", paramLabel = "USER_ID")
        String userId;
    }

    @Command(name = "create", description = "Create a user who can sign in. Without --password, the password is "
            + "read from the terminal, or from the first line of standard input.")
    static final class Create extends OnUser {
        @Option(names = "--email", required = true)
        String email;

        @Option(names = "--password", description = "At least 8 characters. For scripts only: a flag's value stays "
                + "in shell history and shows in the process list.")
        String password;

        @Override
        public Integer call() {
            String chosen = password != null ? password : Passwords.readPassword("Password for " + userId);
            try (Services services = openServices()) {
                services.users().create(userId, email, chosen);
            }
            out().println("Created user " + userId);
            return 0;
        }
    }

    @Command(name = "list", description = "List users (id, email, created, disabled).")
    static final class ListUsers extends AdminCommand {
        @Mixin
        Output output = new Output();

        @Override
        public Integer call() {
            List<User> users;
            try (Services services = openServices()) {
                users = services.administration().list();
            }
            output.print(out(), List.of("id", "email", "created", "disabled"),
                    users.stream().map(u -> List.of(u.id(), u.email(), Output.time(u.createdAt()),
                            u.disabled() ? Output.time(u.disabledAt()) : "no")).toList());
            return 0;
        }
    }

    @Command(name = "disable", description = "Stop a user signing in; their keys, PATs and sessions stop working "
            + "on every node at once.")
    static final class Disable extends OnUser {
        @Override
        public Integer call() {
            try (Services services = openServices()) {
                services.administration().disable(userId);
            }
            out().println("Disabled user " + userId);
            return 0;
        }
    }

    @Command(name = "enable", description = "Let a disabled user sign in again; their remaining credentials work again.")
    static final class Enable extends OnUser {
        @Override
        public Integer call() {
            try (Services services = openServices()) {
                services.administration().enable(userId);
            }
            out().println("Enabled user " + userId);
            return 0;
        }
    }

    @Command(name = "reset-password", description = "Set a new password, read from the terminal or the first line "
            + "of standard input; the user's sessions end.")
    static final class ResetPassword extends OnUser {
        @Option(names = "--password", description = "For scripts only: a flag's value stays in shell history and "
                + "shows in the process list.")
        String password;

        @Override
        public Integer call() {
            String chosen = password != null ? password : Passwords.readPassword("New password for " + userId);
            try (Services services = openServices()) {
                services.administration().resetPassword(userId, chosen);
            }
            out().println("Reset the password of " + userId + "; their sessions have ended");
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a user with their apps, everything in them, and their credentials.")
    static final class Delete extends OnUser {
        @Override
        public Integer call() {
            try (Services services = openServices()) {
                services.administration().delete(userId);
            }
            out().println("Deleted user " + userId);
            return 0;
        }
    }
}
