package dev.clavis.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** How an administrative command asks for a password. */
public final class Passwords {
    /** Where a password comes from when there is no terminal; tests put their own here. */
    public static volatile Supplier<InputStream> stdin = () -> System.in;

    private Passwords() {}

    /**
     * A password typed at the terminal (not echoed, asked twice), or the first line of standard
     * input when there is no terminal (a script piping it in). Never a flag's value, which stays
     * in shell history and shows in the process list.
     */
    static String readPassword(String prompt) {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("%s: ", prompt);
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                throw new IllegalArgumentException("the two passwords differ");
            }
            return new String(first);
        }
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin.get(), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null || line.isEmpty()) throw new IllegalArgumentException("no password on standard input");
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("standard input unreadable", e);
        }
    }
}
