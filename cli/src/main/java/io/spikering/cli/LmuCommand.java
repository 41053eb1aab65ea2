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

    /** Largest --order: the table has d² entries and the ZOH matrix exponential is O(d³) (about 20 s at 1024). */
    static final int MAX_ORDER = 1024;

    @Option(names = "--order", required = true, paramLabel = "D",
        description = "Memory order d (number of Legendre coefficients), 1.." + MAX_ORDER + ".")
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
        Validate.range("--order", order, 1, MAX_ORDER);
        Validate.positiveFinite("--theta", theta);
        final LegendreMemory lmu = LegendreMemory.of(order, theta, LegendreMemory.Method.parse(method));
        final String warning = thetaWarning(lmu);
        if (warning != null)
        {
            spec.commandLine().getErr().println("warning: " + warning);
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(lmu) : toTable(lmu));
        out.flush();
    }

    /**
     * Why a θ gives a degenerate memory, or null: Ā ≈ 0 for a window under one step; a memory that grows without
     * bound (Euler with θ too small for the order: Ā = I + A has eigenvalues outside the unit circle), found by
     * iterating Ā on a fixed vector and comparing the growth of its norm over the second half of the iterations.
     */
    static String thetaWarning(final LegendreMemory lmu)
    {
        if (lmu.theta() < 1.0)
        {
            return "--theta " + lmu.theta() + " is shorter than one step: the memory forgets almost everything between steps (Ā ≈ 0); "
                + "θ is the window length in steps, usually the sequence length";
        }
        final double[][] a = lmu.a();
        final int d = lmu.order();
        double[] v = new double[d];
        java.util.Arrays.fill(v, 1.0 / Math.sqrt(d));
        double[] next = new double[d];
        double logGrowth = 0.0;
        final int iterations = 400;
        for (int k = 0; k < iterations; k++)
        {
            double norm = 0.0;
            for (int i = 0; i < d; i++)
            {
                double sum = 0.0;
                for (int j = 0; j < d; j++)
                {
                    sum += a[i][j] * v[j];
                }
                next[i] = sum;
                norm += sum * sum;
            }
            norm = Math.sqrt(norm);
            if (norm == 0.0)
            {
                return null;
            }
            if (k >= iterations / 2)
            {
                logGrowth += Math.log(norm);
            }
            for (int i = 0; i < d; i++)
            {
                next[i] /= norm;
            }
            final double[] t = v;
            v = next;
            next = t;
        }
        final double radius = Math.exp(logGrowth / (iterations / 2));
        if (radius > 1.001)
        {
            return String.format(java.util.Locale.ROOT, "the discrete memory is unstable: Ā (order %d, theta %s, %s) grows a state by about "
                + "%.4f per step, so it diverges; use --method zoh or a larger --theta", d, ModelRun.trim(lmu.theta()),
                lmu.method().name().toLowerCase(java.util.Locale.ROOT), radius);
        }
        return null;
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
