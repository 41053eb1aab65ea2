package io.spikering.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.spikering.neuron.LegendreMemory;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikering lmu}: prints the discrete Legendre memory matrices Ā and B̄ for an order and window. */
@Command(
    name = "lmu",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the discrete Legendre memory (LMU) matrices: m_t = Ā·m_{t-1} + B̄·u_t, with step 1 and window theta steps.",
        "See docs/lmu.md for the equations."})
public final class LmuCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--order", required = true, paramLabel = "D", description = "Memory order d (number of Legendre coefficients), >= 1.")
    int order;

    @Option(names = "--theta", required = true, paramLabel = "T", description = "Window length theta in time-steps, > 0.")
    double theta;

    @Option(names = "--method", paramLabel = "zoh|euler", defaultValue = "zoh",
        description = "Discretization: zoh (zero-order hold, exact for held inputs; default) or euler (I + A, B).")
    String method;

    @Option(names = "--json", description = "Print JSON {order, theta, method, A, B} instead of a table.")
    boolean json;

    public void run()
    {
        final LegendreMemory lmu = LegendreMemory.of(order, theta, LegendreMemory.Method.parse(method));
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(lmu) : toTable(lmu));
        out.flush();
    }

    static String toJson(final LegendreMemory lmu)
    {
        final JsonObject root = new JsonObject();
        root.addProperty("order", lmu.order());
        root.addProperty("theta", lmu.theta());
        root.addProperty("method", lmu.method().name().toLowerCase(java.util.Locale.ROOT));
        final JsonArray a = new JsonArray();
        for (final double[] row : lmu.a())
        {
            a.add(toArray(row));
        }
        root.add("A", a);
        root.add("B", toArray(lmu.b()));
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + System.lineSeparator();
    }

    private static JsonArray toArray(final double[] values)
    {
        final JsonArray array = new JsonArray(values.length);
        for (final double v : values)
        {
            array.add(v);
        }
        return array;
    }

    static String toTable(final LegendreMemory lmu)
    {
        final StringBuilder sb = new StringBuilder();
        final String nl = System.lineSeparator();
        sb.append("Legendre memory: order ").append(lmu.order()).append(", theta ").append(lmu.theta())
            .append(", method ").append(lmu.method().name().toLowerCase(java.util.Locale.ROOT)).append(nl)
            .append("m_t = Abar * m_{t-1} + Bbar * u_t;  u(t - theta') ~ sum_i P~_i(theta'/theta) * m_i(t)").append(nl).append(nl);
        sb.append("Abar (").append(lmu.order()).append(" x ").append(lmu.order()).append("):").append(nl);
        for (final double[] row : lmu.a())
        {
            for (final double v : row)
            {
                sb.append(String.format(java.util.Locale.ROOT, " %15.9f", v));
            }
            sb.append(nl);
        }
        sb.append(nl).append("Bbar (").append(lmu.order()).append("):").append(nl);
        for (final double v : lmu.b())
        {
            sb.append(String.format(java.util.Locale.ROOT, " %15.9f", v)).append(nl);
        }
        return sb.toString();
    }
}
