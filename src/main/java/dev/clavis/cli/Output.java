package dev.clavis.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Option;

/** A listing's output: an aligned table for people, {@code --json} (an array of objects) for scripts. */
public final class Output {
    @Option(names = "--json", description = "Print a JSON array of objects instead of a table.")
    boolean json;

    /** @param columns names, in snake_case: the table's headers and the JSON fields */
    void print(PrintWriter out, List<String> columns, List<List<String>> rows) {
        if (json) {
            JsonArray array = new JsonArray();
            for (List<String> row : rows) {
                JsonObject object = new JsonObject();
                for (int i = 0; i < columns.size(); i++) object.addProperty(columns.get(i), row.get(i));
                array.add(object);
            }
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(array));
            return;
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : rows) widths[i] = Math.max(widths[i], cell(row.get(i)).length());
        }
        line(out, columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList(), widths);
        for (List<String> row : rows) line(out, row.stream().map(Output::cell).toList(), widths);
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) text.append("  ");
            text.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        out.println(text);
    }

    private static String cell(String value) {
        return value == null ? "-" : value;
    }

    /** A time as the table and JSON show it; null (never, not set) stays null. */
    static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
