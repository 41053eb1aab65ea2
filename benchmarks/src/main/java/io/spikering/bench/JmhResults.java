package io.spikering.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** JMH JSON results ({@code -rf json}) read with Gson: one {@link Row} per benchmark and parameter combination. */
final class JmhResults
{
    /** A metric: JMH's score, its 99.9% error half-width (NaN if JMH gave none) and unit. */
    record Metric(double score, double error, String unit)
    {
        /** Error as JMH gives it, or 0 when there is none (a single iteration, a summed counter). */
        double errorOrZero()
        {
            return Double.isFinite(error) ? error : 0.0;
        }
    }

    /** One result: {@code Class.method}, its parameters, primary and secondary metrics, the JVM that ran it. */
    record Row(String benchmark, Map<String, String> params, Metric primary, Map<String, Metric> secondary,
               String jdkVersion, String vmName, String jvmArgs)
    {
        String param(final String name)
        {
            final String v = params.get(name);
            if (v == null)
            {
                throw new IllegalArgumentException(benchmark + " has no parameter '" + name + "' (has " + params.keySet() + ")");
            }
            return v;
        }

        int intParam(final String name)
        {
            return Integer.parseInt(param(name));
        }

        Optional<Metric> secondary(final String name)
        {
            return Optional.ofNullable(secondary.get(name));
        }
    }

    private final List<Row> rows;

    private JmhResults(final List<Row> rows)
    {
        this.rows = rows;
    }

    List<Row> rows()
    {
        return rows;
    }

    /** Every {@code *.json} file in {@code dir} (sorted by name); a missing directory is an error naming it. */
    static JmhResults readDirectory(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new IOException("results directory " + dir.toAbsolutePath() + " does not exist; run benchmarks/run.sh");
        }
        final List<Path> files = new ArrayList<>();
        try (var stream = Files.list(dir))
        {
            stream.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
        }
        final List<Row> all = new ArrayList<>();
        for (final Path f : files)
        {
            all.addAll(parse(Files.readString(f), f.toString()));
        }
        return new JmhResults(Collections.unmodifiableList(all));
    }

    static List<Row> parse(final String json, final String origin)
    {
        final JsonElement root;
        try
        {
            root = JsonParser.parseString(json);
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException(origin + ": not JSON (" + e.getMessage() + ")", e);
        }
        if (!root.isJsonArray())
        {
            throw new IllegalArgumentException(origin + ": expected a JMH result array (-rf json)");
        }
        final List<Row> out = new ArrayList<>();
        for (final JsonElement e : root.getAsJsonArray())
        {
            final JsonObject o = e.getAsJsonObject();
            final String full = o.get("benchmark").getAsString();
            final String[] parts = full.split("\\.");
            final String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
            final Map<String, String> params = new LinkedHashMap<>();
            if (o.has("params"))
            {
                for (final Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet())
                {
                    params.put(p.getKey(), p.getValue().getAsString());
                }
            }
            final Map<String, Metric> secondary = new LinkedHashMap<>();
            if (o.has("secondaryMetrics"))
            {
                for (final Map.Entry<String, JsonElement> m : o.getAsJsonObject("secondaryMetrics").entrySet())
                {
                    secondary.put(m.getKey(), metric(m.getValue().getAsJsonObject()));
                }
            }
            final StringBuilder args = new StringBuilder();
            if (o.has("jvmArgs"))
            {
                final JsonArray a = o.getAsJsonArray("jvmArgs");
                for (final JsonElement x : a)
                {
                    args.append(args.length() == 0 ? "" : " ").append(x.getAsString());
                }
            }
            out.add(new Row(name, params, metric(o.getAsJsonObject("primaryMetric")), secondary,
                text(o, "jdkVersion"), text(o, "vmName"), args.toString()));
        }
        return out;
    }

    private static String text(final JsonObject o, final String key)
    {
        return o.has(key) ? o.get(key).getAsString() : "?";
    }

    private static Metric metric(final JsonObject m)
    {
        final JsonElement err = m.get("scoreError");
        double error = Double.NaN;
        if (err != null && err.isJsonPrimitive() && err.getAsJsonPrimitive().isNumber())
        {
            error = err.getAsDouble();
        }
        return new Metric(m.get("score").getAsDouble(), error, m.get("scoreUnit").getAsString());
    }

    List<Row> select(final String benchmark)
    {
        return select(benchmark, r -> true);
    }

    List<Row> select(final String benchmark, final Predicate<Row> filter)
    {
        final List<Row> out = new ArrayList<>();
        for (final Row r : rows)
        {
            if (r.benchmark().equals(benchmark) && filter.test(r))
            {
                out.add(r);
            }
        }
        return out;
    }

    /** The one result of {@code benchmark} whose parameters include {@code params} (name, value, name, value...). */
    Optional<Row> find(final String benchmark, final String... params)
    {
        for (final Row r : rows)
        {
            if (!r.benchmark().equals(benchmark))
            {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < params.length; i += 2)
            {
                match &= params[i + 1].equals(r.params().get(params[i]));
            }
            if (match)
            {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** a / b with its error from the relative errors of both (independent): the ratio of two times. */
    static double[] ratio(final Metric a, final Metric b)
    {
        final double r = a.score() / b.score();
        final double ea = a.errorOrZero() / a.score();
        final double eb = b.errorOrZero() / b.score();
        return new double[] {r, r * Math.sqrt(ea * ea + eb * eb)};
    }
}
