package io.spikering.cli;

import io.spikering.interop.nir.NirDelivery;
import io.spikering.interop.nir.NirEdge;
import io.spikering.interop.nir.NirGraph;
import io.spikering.interop.nir.NirNode;
import io.spikering.interop.nir.Shapes;
import io.spikering.interop.numpy.NumpyArray;
import io.spikering.interop.numpy.NumpyFormatException;
import io.spikering.interop.numpy.NumpyReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** {@code inspect} for NIR graphs and NumPy files. */
final class NirInspect
{
    private static final byte[] HDF5_MAGIC = {(byte)0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private NirInspect()
    {
    }

    /** A .nir name, or an HDF5 file by its signature. */
    static boolean isNir(final Path file) throws IOException
    {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".nir"))
        {
            return true;
        }
        if (!Files.isRegularFile(file))
        {
            return false;
        }
        try (InputStream in = Files.newInputStream(file))
        {
            return Arrays.equals(in.readNBytes(8), HDF5_MAGIC);
        }
    }

    static boolean isNumpy(final Path file)
    {
        final String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".npy") || n.endsWith(".npz");
    }

    static void print(final Path file, final NirGraph graph, final PrintStream out) throws IOException
    {
        out.println("file: " + file + " (" + Files.size(file) + " bytes)");
        out.println("format: NIR " + (graph.version().isEmpty() ? "(no version dataset: a 0.1 writer)" : "version " + graph.version())
            + ", HDF5");
        final NirGraph flat = graph.flatten();
        final Map<String, NirDelivery> delivery = NirDelivery.of(graph);
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"node", "type", "input", "output", "params", "runs"});
        long params = 0;
        final Map<NirDelivery, List<String>> byDelivery = new TreeMap<>();
        final List<String> order = displayOrder(flat);
        for (final String name : order)
        {
            final Map.Entry<String, NirNode> e = Map.entry(name, flat.node(name));
            final NirNode n = e.getValue();
            params += n.parameterCount();
            final NirDelivery d = delivery.get(e.getKey());
            byDelivery.computeIfAbsent(d, k -> new ArrayList<>()).add(e.getKey() + " (" + n.type() + ")");
            rows.add(new String[] {e.getKey(), n.type(), Shapes.format(n.inputShape()), Shapes.format(n.outputShape()),
                Long.toString(n.parameterCount()), d.label()});
        }
        out.println();
        table(rows, 4, out);
        if (graph.hasSubgraphs())
        {
            out.println("(subgraphs inlined: node B of subgraph G is listed as G.B)");
        }
        out.println();
        out.println("edges (" + graph.edges().size() + (graph.hasSubgraphs() ? " at the top level, " + flat.edges().size()
            + " inlined" : "") + "):");
        final List<NirEdge> edges = new ArrayList<>(flat.edges());
        edges.sort(java.util.Comparator.comparingInt((NirEdge e) -> order.indexOf(e.source()))
            .thenComparingInt(e -> order.indexOf(e.target())));
        for (final NirEdge e : edges)
        {
            out.println("  " + e);
        }
        out.println();
        out.printf(Locale.ROOT, "%d nodes, %d edges, %d parameters%n", flat.nodes().size(), flat.edges().size(), params);
        out.println("event-driven: " + describe(byDelivery, NirDelivery.EMITS_EVENTS, "emit events")
            + "; " + describe(byDelivery, NirDelivery.PER_EVENT, "delivered per event (a weight row or kernel stencil per spike)")
            + "; " + describe(byDelivery, NirDelivery.PER_STEP, "computed every step"));
        if (!graph.metadata().isEmpty())
        {
            out.println();
            out.println("metadata:");
            graph.metadata().forEach((k, v) -> out.println("  " + k + ": " + v));
        }
    }

    /** Nodes breadth-first from the Input nodes along the edges (the order data flows), then any not reached. */
    private static List<String> displayOrder(final NirGraph flat)
    {
        final List<String> order = new ArrayList<>(flat.inputs().keySet());
        for (int i = 0; i < order.size(); i++)
        {
            for (final String t : flat.targets(order.get(i)))
            {
                if (!order.contains(t) && flat.node(t) != null && !(flat.node(t) instanceof NirNode.Output))
                {
                    order.add(t);
                }
            }
        }
        for (final String name : flat.nodes().keySet())
        {
            if (!order.contains(name) && !(flat.node(name) instanceof NirNode.Output))
            {
                order.add(name);
            }
        }
        order.addAll(flat.outputs().keySet());
        return order;
    }

    private static String describe(final Map<NirDelivery, List<String>> by, final NirDelivery d, final String what)
    {
        final List<String> nodes = by.getOrDefault(d, List.of());
        return nodes.isEmpty() ? "no node " + what.replace("emit ", "emits ").replace("delivered", "is delivered")
            .replace("computed", "is computed") : nodes.size() + " " + what + " " + nodes;
    }

    static void printNumpy(final Path file, final PrintStream out) throws NumpyFormatException, IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new NumpyFormatException(file + ": no such file");
        }
        out.println("file: " + file + " (" + Files.size(file) + " bytes)");
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"array", "dtype", "shape", "values", "min", "max", "mean", "zeros"});
        final List<String> names = NumpyReader.isNpz(file) ? NumpyReader.names(file) : List.of("");
        for (final String name : names)
        {
            final NumpyArray a = name.isEmpty() ? NumpyReader.read(file) : NumpyReader.read(file, name);
            final double[] v = a.toDoubleArray();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long zeros = 0;
            for (final double x : v)
            {
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
                zeros += x == 0 ? 1 : 0;
            }
            final boolean empty = v.length == 0;
            rows.add(new String[] {name.isEmpty() ? "(array)" : name, a.dtype(), Arrays.toString(a.shape()), Integer.toString(v.length),
                empty ? "-" : InspectCommand.num(min), empty ? "-" : InspectCommand.num(max), empty ? "-" : InspectCommand.num(sum / v.length),
                empty ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * zeros / v.length)});
        }
        out.println();
        table(rows, 3, out);
    }

    /** Columns before {@code leftColumns} left-aligned, the rest right-aligned. */
    private static void table(final List<String[]> rows, final int leftColumns, final PrintStream out)
    {
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
                sb.append(c < leftColumns || c == r.length - 1 ? String.format("%-" + width[c] + "s", r[c])
                    : String.format("%" + width[c] + "s", r[c]));
                sb.append(c == r.length - 1 ? "" : "  ");
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
