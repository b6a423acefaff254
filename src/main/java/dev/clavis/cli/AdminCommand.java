package dev.clavis.cli;

import dev.clavis.Services;
import dev.clavis.audit.Actor;
import dev.clavis.logs.LogOutput;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** What every administrative command has: the database options, the services on them, its own output. */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage = new StorageOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The database and services, with log lines on standard error; the audit's say door=cli (the
     * actor's door: the MDC saying it too wrote the field twice on each line).
     */
    Services openServices() {
        LogOutput.toStandardError();
        Actor.set(new Actor("cli", null, null, null, null));
        return Services.open(storage.config());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
