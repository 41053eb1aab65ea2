package io.spikering.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.model.ModelFile;
import io.spikering.core.model.ModelFormatException;
import io.spikering.core.model.Tensor;
import io.spikering.interop.nir.NirFormatException;
import io.spikering.interop.nir.NirReader;
import io.spikering.interop.numpy.NumpyFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spikering inspect FILE}: metadata and a table of tensors with statistics. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Print a model file's metadata (JSON values pretty-printed) and a table of its tensors " +
        "(dtype, shape, parameters, min/max/mean, fraction of zeros); for a NIR graph (.nir) its nodes, shapes, " +
        "parameter counts, edges and which nodes run event-driven; for NumPy files (.npy, .npz) their arrays.")
public final class InspectCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "FILE", description = "A .safetensors model file, a NIR graph (.nir, HDF5) or "
        + "a NumPy file (.npy, .npz).")
    Path file;

    public Integer call() throws IOException, NirFormatException, NumpyFormatException
    {
        if (NirInspect.isNir(file))
        {
            NirInspect.print(file, NirReader.read(file), System.out);
            return 0;
        }
        if (NirInspect.isNumpy(file))
        {
            NirInspect.printNumpy(file, System.out);
            return 0;
        }
        final ModelFile model = ModelFile.read(file);
        print(model, Files.size(file), System.out);
        return 0;
    }

    static void print(final ModelFile model, final long fileBytes, final PrintStream out)
    {
        out.println("file: " + model.source() + " (" + fileBytes + " bytes)");
        try
        {
            model.checkFormat();
            out.println("format: " + ModelFile.FORMAT + " version " + ModelFile.VERSION);
        }
        catch (final ModelFormatException e)
        {
            out.println("warning: " + e.getMessage());
        }
        out.println();
        out.println("metadata:");
        final var pretty = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        for (final Map.Entry<String, String> e : model.metadata().entrySet())
        {
            out.println("  " + e.getKey() + ": " + indent(prettyJson(pretty, e.getValue())));
        }
        out.println();
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"tensor", "kind", "dtype", "shape", "params", "min", "max", "mean", "zeros"});
        long total = 0;
        long fixed = 0;
        final boolean feedForwardLmu = isFeedForwardLmu(model);
        for (final Tensor t : model.tensors())
        {
            final int n = t.elementCount();
            total += n;
            final String kind = kind(t.name(), feedForwardLmu);
            fixed += kind.equals("trained") ? 0 : n;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long zeros = 0;
            for (int i = 0; i < n; i++)
            {
                final double v = t.getAsDouble(i);
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                zeros += v == 0 ? 1 : 0;
            }
            rows.add(new String[] {t.name(), kind, t.dtype().name(), Arrays.toString(t.shape()), Integer.toString(n),
                n == 0 ? "-" : num(min), n == 0 ? "-" : num(max), n == 0 ? "-" : num(sum / n),
                n == 0 ? "-" : String.format("%.1f%%", 100.0 * zeros / n)});
        }
        final int[] width = new int[rows.get(0).length];
        for (final String[] r : rows)
        {
            for (int c = 0; c < r.length; c++)
            {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (final String[] r : rows)
        {
            final StringBuilder sb = new StringBuilder();
            for (int c = 0; c < r.length; c++)
            {
                final boolean left = c < 4;
                sb.append(left ? String.format("%-" + width[c] + "s", r[c]) : String.format("%" + width[c] + "s", r[c]));
                sb.append(c == r.length - 1 ? "" : "  ");
            }
            out.println(sb.toString().stripTrailing());
        }
        out.println(model.tensors().size() + " tensors, " + total + " parameters: " + (total - fixed) + " trained, " + fixed
            + " fixed (not trained: the Legendre memory's Ā and B̄ follow from order, θ and the discretization; the feed-forward "
            + "variant's input encoder is 1; the memory quantizer's gain and offset are the feature standardization)");
        lmuSummary(model, out);
    }

    /** "trained", or why a tensor is fixed (set by the architecture or by data statistics, not by gradient descent). */
    static String kind(final String tensor, final boolean feedForwardLmu)
    {
        if (tensor.equals(LmuFile.MEMORY_A) || tensor.equals(LmuFile.MEMORY_B) || tensor.endsWith("memory.A") || tensor.endsWith("memory.B"))
        {
            return "fixed";
        }
        if (feedForwardLmu && (tensor.equals(LmuFile.INPUT_ENCODER) || tensor.equals(LmuFile.MEMORY_QUANTIZER_GAIN)
            || tensor.equals(LmuFile.MEMORY_QUANTIZER_OFFSET)))
        {
            return "fixed";
        }
        return "trained";
    }

    private static boolean isFeedForwardLmu(final ModelFile model)
    {
        final String arch = model.metadata().get(ModelFile.ARCHITECTURE_KEY);
        return arch != null && arch.contains("\"type\":\"lmu\"") && arch.contains("\"variant\":\"" + LmuFile.VARIANT + "\"");
    }

    /** One line on the quantizers of an LMU model file (nothing for other files; a reason if it does not validate). */
    private static void lmuSummary(final ModelFile model, final PrintStream out)
    {
        final String arch = model.metadata().get(ModelFile.ARCHITECTURE_KEY);
        if (arch == null || !arch.contains("\"type\":\"lmu\""))
        {
            return;
        }
        try
        {
            final LmuFile lmu = LmuFile.of(model);
            out.println();
            out.printf(java.util.Locale.ROOT, "LMU%s: order %d, %d %s hidden units %s; memory output %s%n",
                lmu.recurrent() ? " (recurrent: hidden layer every step" + (lmu.recurrentKernel() != null ? ", W_h on h_{t-1})" : ")") : "",
                lmu.order(), lmu.hidden(), lmu.activation().name().toLowerCase(java.util.Locale.ROOT),
                lmu.hiddenQuantized() ? "sigma-delta quantized at dt " + lmu.dt() : "not quantized",
                lmu.memoryQuantized() ? "sigma-delta quantized at dt_m " + lmu.memoryDt() + " in the window (" + LmuFile.MEMORY_QUANTIZER_GAIN
                    + ", " + LmuFile.MEMORY_QUANTIZER_OFFSET + ")" : "not quantized");
        }
        catch (final RuntimeException e)
        {
            out.println();
            out.println("warning: not a runnable LMU model: " + e.getMessage());
        }
    }

    private static String prettyJson(final com.google.gson.Gson pretty, final String value)
    {
        final String v = value.strip();
        if (v.startsWith("{") || v.startsWith("["))
        {
            try
            {
                final JsonElement e = JsonParser.parseString(v);
                return pretty.toJson(e);
            }
            catch (final RuntimeException notJson)
            {
                return value;
            }
        }
        return value;
    }

    private static String indent(final String s)
    {
        return s.replace("\n", "\n  ");
    }

    static String num(final double v)
    {
        return String.format("%.6g", v);
    }
}
