package dev.clavis.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * Where a setting's value comes from when its flag is not given: the environment
 * ({@code CLAVIS_MAX_BODY_BYTES} for {@code --max-body-bytes}), then the config file (key
 * {@code max-body-bytes}), then the flag's own default. A flag on the command line beats both.
 *
 * <p>The file holds one {@code name: value} or {@code name=value} per line ({@code #} comments),
 * which is both a Java properties file and a flat YAML mapping; lists are comma-separated.
 */
public final class SettingSources implements CommandLine.IDefaultValueProvider {
    /** The one setting whose variable does not follow the rule, kept for existing deployments. */
    private static final Map<String, String> ENVIRONMENT_NAMES = Map.of("data", "CLAVIS_DATA_DIR");

    private final Map<String, String> environment;
    private final Map<String, String> file;
    /** The settings' names; other options (a user's email, a password) are only ever flags. */
    private final Set<String> known;

    private SettingSources(Map<String, String> environment, Map<String, String> file, Set<String> known) {
        this.environment = environment;
        this.file = file;
        this.known = Set.copyOf(known);
    }

    /** Sources without a config file. */
    public static SettingSources of(Map<String, String> environment, Set<String> known) {
        return new SettingSources(environment, Map.of(), known);
    }

    /**
     * Sources with the config file, refused (naming each bad line) when it is unreadable or names
     * settings that do not exist.
     */
    public static SettingSources withFile(Map<String, String> environment, Path path, Set<String> known) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("config: cannot read " + path + " (" + e.getMessage() + ")");
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (!known.contains(name)) {
                problems.add("config " + path + ": unknown setting '" + name + "'");
            } else {
                values.put(name, unquoted(properties.getProperty(name).strip()));
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("\n", problems));
        return new SettingSources(environment, Map.copyOf(values), known);
    }

    /** The environment variable a setting reads. */
    private static String environmentName(String setting) {
        return ENVIRONMENT_NAMES.getOrDefault(setting, "CLAVIS_" + setting.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The config file named by {@code --config FILE} or {@code --config=FILE}, else by CLAVIS_CONFIG. */
    public static Path configFile(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) break;
            if (args[i].equals("--config") && i + 1 < args.length) return Path.of(args[i + 1]);
            if (args[i].startsWith("--config=")) return Path.of(args[i].substring("--config=".length()));
        }
        String named = environment.get("CLAVIS_CONFIG");
        return named == null || named.isBlank() ? null : Path.of(named);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (!(arg instanceof CommandLine.Model.OptionSpec option) || !option.longestName().startsWith("--")) return null;
        String setting = option.longestName().substring(2);
        if (!known.contains(setting)) return null;
        String fromEnvironment = environment.get(environmentName(setting));
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) return fromEnvironment;
        return file.get(setting);
    }

    /** YAML lets a value be quoted; properties would keep the quotes. */
    private static String unquoted(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
