package dev.clavis.cli;

import picocli.CommandLine;

/** A command that only groups subcommands: alone, it is a usage error. */
public abstract class Group implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Name a subcommand: " + String.join(", ", spec.subcommands().keySet()) + ".");
    }
}
