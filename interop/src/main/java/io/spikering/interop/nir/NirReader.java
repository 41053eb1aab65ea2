package io.spikering.interop.nir;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a NIR file (HDF5, the layout the nir Python package writes from version 0.1 to 1.0) with jHDF: root dataset
 * {@code version} (absent in 0.1 files), group {@code node} of type "NIRGraph" holding {@code nodes/<name>/} groups (a
 * {@code type} string and one dataset per parameter), {@code edges} (N x 2 strings) and optional {@code metadata};
 * subgraphs nest the same layout. Accepts float32/float64/integer parameters, scalars (broadcast to the node's shape),
 * fixed- and variable-length strings, and the defaults older writers relied on (v_reset absent = 0, w_in absent = 1,
 * Conv without input_shape, Flatten without input_type: inferred from the graph). The graph is then checked by
 * {@link NirValidator}; every problem is a {@link NirFormatException} naming the file, node and parameter.
 */
public final class NirReader
{
    private NirReader()
    {
    }

    /** Reads, infers the shapes the file leaves open, and validates. */
    public static NirGraph read(final Path file) throws NirFormatException
    {
        return NirValidator.validate(readRaw(file), file.toString());
    }

    /** Reads the file's graph as stored, without shape inference or validation (for tools and tests). */
    public static NirGraph readRaw(final Path file) throws NirFormatException
    {
        final String where = file.toString();
        if (!Files.isRegularFile(file))
        {
            throw new NirFormatException(where + ": no such file");
        }
        try (HdfFile hdf = new HdfFile(file))
        {
            final String version = hdf.getChild("version") instanceof Dataset v ? string(v, where, "version") : "";
            if (!(hdf.getChild("node") instanceof Group root))
            {
                throw new NirFormatException(where + ": no group 'node' at the root: not a NIR file (expected the layout"
                    + " of nir.write: /version and /node with type 'NIRGraph')");
            }
            return readGraph(root, where, "", version);
        }
        catch (final HdfException | IllegalStateException e)
        {
            throw new NirFormatException(where + ": not a readable HDF5/NIR file (" + e.getMessage() + ")", e);
        }
        catch (final RuntimeException e)
        {
            // a damaged file can fail anywhere inside the HDF5 parser: still one message, not a stack trace
            throw new NirFormatException(where + ": not a readable HDF5/NIR file (" + e + ")", e);
        }
    }

    private static NirGraph readGraph(final Group g, final String file, final String path, final String version)
        throws NirFormatException
    {
        final String label = path.isEmpty() ? "the root graph" : "subgraph '" + path + "'";
        final String type = typeOf(g, file, label);
        if (!"NIRGraph".equals(type))
        {
            throw new NirFormatException(file + ": " + label + " has type '" + type + "', expected 'NIRGraph'");
        }
        if (!(g.getChild("nodes") instanceof Group nodesGroup))
        {
            throw new NirFormatException(file + ": " + label + " has no group 'nodes'");
        }
        final Map<String, NirNode> nodes = new LinkedHashMap<>();
        // HDF5 link order depends on the writer; h5py (and so every Python NIR tool) lists names sorted: so do we
        for (final Map.Entry<String, Node> e : new TreeMap<>(nodesGroup.getChildren()).entrySet())
        {
            final String name = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!(e.getValue() instanceof Group ng))
            {
                throw new NirFormatException(file + ": node '" + name + "' is not a group");
            }
            nodes.put(e.getKey(), readNode(ng, file, name));
        }
        final List<NirEdge> edges = readEdges(g.getChild("edges"), file, label);
        final Map<String, Object> metadata = g.getChild("metadata") instanceof Group m ? metadata(m, file, label) : Map.of();
        return new NirGraph(nodes, edges, metadata, version);
    }

    private static List<NirEdge> readEdges(final Node node, final String file, final String label) throws NirFormatException
    {
        if (!(node instanceof Dataset ds))
        {
            throw new NirFormatException(file + ": " + label + " has no dataset 'edges'");
        }
        final List<NirEdge> edges = new ArrayList<>();
        if (ds.getSize() == 0)
        {
            return edges; // nir writes an empty edge list as an empty float array
        }
        final long[] dims = ds.getDimensionsAsLong();
        if (dims.length != 2 || dims[1] != 2 || ds.getJavaType() != String.class)
        {
            throw new NirFormatException(file + ": " + label + ": 'edges' must be an N x 2 array of node names, got "
                + Arrays.toString(dims) + " of " + ds.getJavaType().getSimpleName());
        }
        checkSize(ds, file, label, "edges");
        final Object flat = ds.getDataFlat();
        for (int i = 0; i < dims[0]; i++)
        {
            edges.add(new NirEdge(((String)Array.get(flat, 2 * i)).trim(), ((String)Array.get(flat, 2 * i + 1)).trim()));
        }
        return edges;
    }

    private static NirNode readNode(final Group g, final String file, final String name) throws NirFormatException
    {
        final String type = typeOf(g, file, "node '" + name + "'");
        final P p = new P(g, file, name, type);
        try
        {
            return switch (type)
            {
                case "Input" -> new NirNode.Input(p.ints("shape"));
                case "Output" -> new NirNode.Output(p.ints("shape"));
                case "Affine" -> new NirNode.Affine(p.tensor("weight"), p.tensor("bias"));
                case "Linear" -> new NirNode.Linear(p.tensor("weight"));
                case "Scale" -> new NirNode.Scale(p.tensor("scale"));
                case "Flatten" -> new NirNode.Flatten(p.integer("start_dim", 1), p.integer("end_dim", -1), p.intsOrNull("input_type"));
                case "Delay" -> new NirNode.Delay(p.tensor("delay"));
                case "Threshold" -> new NirNode.Threshold(p.tensor("threshold"));
                case "I" -> new NirNode.I(p.tensor("r"));
                case "IF" -> new NirNode.IF(p.tensor("r"), p.tensor("v_threshold"), p.tensorOrNull("v_reset"));
                case "LI" -> new NirNode.LI(p.tensor("tau"), p.tensor("r"), p.tensor("v_leak"));
                case "LIF" -> new NirNode.LIF(p.tensor("tau"), p.tensor("r"), p.tensor("v_leak"), p.tensor("v_threshold"),
                    p.tensorOrNull("v_reset"));
                case "CubaLI" -> new NirNode.CubaLI(p.tensor("tau_syn"), p.tensor("tau_mem"), p.tensor("r"), p.tensor("v_leak"),
                    p.tensorOrNull("w_in"));
                case "CubaLIF" -> new NirNode.CubaLIF(p.tensor("tau_syn"), p.tensor("tau_mem"), p.tensor("r"), p.tensor("v_leak"),
                    p.tensor("v_threshold"), p.tensorOrNull("v_reset"), p.tensorOrNull("w_in"));
                case "Conv1d" -> conv(p, 1);
                case "Conv2d" -> conv(p, 2);
                case "SumPool2d" -> new NirNode.SumPool2d(p.ints("kernel_size"), p.ints("stride"), p.ints("padding"), null);
                case "AvgPool2d" -> new NirNode.AvgPool2d(p.ints("kernel_size"), p.ints("stride"), p.ints("padding"), null);
                case "NIRGraph" -> new NirNode.Graph(readGraph(g, file, name, ""));
                case NirNode.SigmaDelta.TYPE -> new NirNode.SigmaDelta(p.string("activation"), p.tensor("dt"),
                    p.tensor("amplitude"), p.integer("signed") != 0);
                default -> throw new NirFormatException(file + ": node '" + name + "' has unknown type '" + type
                    + "'; this reader knows the NIR primitives Input, Output, Affine, Linear, Scale, Flatten, Delay,"
                    + " Threshold, I, IF, LI, LIF, CubaLI, CubaLIF, Conv1d, Conv2d, SumPool2d, AvgPool2d, NIRGraph and "
                    + NirNode.SigmaDelta.TYPE);
            };
        }
        catch (final IllegalArgumentException e)
        {
            throw new NirFormatException(file + ": node '" + name + "' (" + type + "): " + e.getMessage());
        }
    }

    private static NirNode conv(final P p, final int dims) throws NirFormatException
    {
        final NirTensor weight = p.tensor("weight");
        final int[] stride = p.ints("stride");
        final int[] dilation = p.ints("dilation");
        int[] padding;
        if (p.isString("padding"))
        {
            padding = namedPadding(p, p.string("padding"), weight, stride, Shapes.perDimension("dilation", dilation, dims), dims);
        }
        else
        {
            padding = p.ints("padding");
        }
        final int[] inputShape = p.intsOrNull("input_shape");
        final int groups = p.integer("groups");
        final NirTensor bias = p.tensor("bias");
        return dims == 1
            ? new NirNode.Conv1d(inputShape, weight, stride, padding, dilation, groups, bias)
            : new NirNode.Conv2d(inputShape, weight, stride, padding, dilation, groups, bias);
    }

    /** "valid" is 0; "same" is PyTorch's, symmetric only for stride 1 and an odd dilated kernel, which is all we accept. */
    private static int[] namedPadding(final P p, final String mode, final NirTensor weight, final int[] stride,
                                      final int[] dilation, final int dims) throws NirFormatException
    {
        final int[] padding = new int[dims];
        if ("valid".equals(mode))
        {
            return padding;
        }
        if (!"same".equals(mode))
        {
            throw p.error("padding", "is '" + mode + "'; expected an integer, 'same' or 'valid'");
        }
        for (int d = 0; d < dims; d++)
        {
            final int span = dilation[d] * (weight.rank() > 2 + d ? weight.dim(2 + d) - 1 : 0);
            if (Shapes.perDimension("stride", stride, dims)[d] != 1 || span % 2 != 0)
            {
                throw p.error("padding", "'same' needs stride 1 and an odd (dilated) kernel for symmetric padding;"
                    + " write the padding as integers");
            }
            padding[d] = span / 2;
        }
        return padding;
    }

    private static String typeOf(final Group g, final String file, final String label) throws NirFormatException
    {
        if (!(g.getChild("type") instanceof Dataset t))
        {
            throw new NirFormatException(file + ": " + label + " has no 'type' dataset");
        }
        return string(t, file, label + " type");
    }

    private static String string(final Dataset ds, final String file, final String what) throws NirFormatException
    {
        final Object data = ds.getSize() == 1 ? ds.getData() : null;
        final Object value = data != null && data.getClass().isArray() ? Array.get(data, 0) : data;
        if (!(value instanceof String s))
        {
            throw new NirFormatException(file + ": " + what + " must be a string");
        }
        return s.trim();
    }

    private static Map<String, Object> metadata(final Group g, final String file, final String label) throws NirFormatException
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final Map.Entry<String, Node> e : new TreeMap<>(g.getChildren()).entrySet())
        {
            if (e.getValue() instanceof Group sub)
            {
                out.put(e.getKey(), metadata(sub, file, label));
            }
            else if (e.getValue() instanceof Dataset ds)
            {
                if (ds.getJavaType() == String.class)
                {
                    if (ds.getSize() == 1)
                    {
                        out.put(e.getKey(), string(ds, file, label + " metadata '" + e.getKey() + "'"));
                    }
                }
                else if (isNumeric(ds))
                {
                    out.put(e.getKey(), tensor(ds, file, label + ": metadata", e.getKey()));
                }
            }
        }
        return out;
    }

    private static boolean isNumeric(final Dataset ds)
    {
        final Class<?> t = ds.getJavaType();
        return t.isPrimitive() || Number.class.isAssignableFrom(t) || t == Boolean.class;
    }

    private static void checkSize(final Dataset ds, final String file, final String label, final String name)
        throws NirFormatException
    {
        final long[] dims = ds.getDimensionsAsLong();
        long size = 1;
        for (final long d : dims)
        {
            size = d > 0 && size > NirTensor.MAX_ELEMENTS / d ? NirTensor.MAX_ELEMENTS + 1 : size * d;
        }
        if (size > NirTensor.MAX_ELEMENTS)
        {
            throw new NirFormatException(file + ": " + label + ": '" + name + "' declares shape " + Arrays.toString(dims)
                + ", more than " + NirTensor.MAX_ELEMENTS + " elements: refused before allocating");
        }
    }

    static NirTensor tensor(final Dataset ds, final String file, final String label, final String name) throws NirFormatException
    {
        checkSize(ds, file, label, name);
        if (!isNumeric(ds))
        {
            throw new NirFormatException(file + ": " + label + ": parameter '" + name + "' must be numeric, got "
                + ds.getJavaType().getSimpleName());
        }
        final int[] shape = ds.getDimensions();
        final Object flat = ds.isScalar() ? ds.getData() : ds.getDataFlat();
        final double[] values;
        if (flat instanceof Number n)
        {
            values = new double[] {n.doubleValue()};
        }
        else if (flat instanceof Boolean b)
        {
            values = new double[] {b ? 1 : 0};
        }
        else if (flat instanceof double[] d)
        {
            values = d;
        }
        else
        {
            final int n = Array.getLength(flat);
            values = new double[n];
            for (int i = 0; i < n; i++)
            {
                final Object v = Array.get(flat, i);
                values[i] = v instanceof Boolean b ? (b ? 1 : 0) : ((Number)v).doubleValue();
            }
        }
        return new NirTensor(shape, values);
    }

    /** Parameter lookup for one node, with errors naming the file, node and parameter. */
    private static final class P
    {
        private final Group g;
        private final String file;
        private final String node;
        private final String type;

        P(final Group g, final String file, final String node, final String type)
        {
            this.g = g;
            this.file = file;
            this.node = node;
            this.type = type;
        }

        NirFormatException error(final String parameter, final String problem)
        {
            return new NirFormatException(file + ": node '" + node + "' (" + type + "), parameter '" + parameter + "' " + problem);
        }

        NirTensor tensorOrNull(final String name) throws NirFormatException
        {
            if (!(g.getChild(name) instanceof Dataset ds))
            {
                return null;
            }
            return NirReader.tensor(ds, file, "node '" + node + "' (" + type + ")", name);
        }

        NirTensor tensor(final String name) throws NirFormatException
        {
            final NirTensor t = tensorOrNull(name);
            if (t == null)
            {
                throw error(name, "is missing");
            }
            return t;
        }

        boolean isString(final String name)
        {
            return g.getChild(name) instanceof Dataset ds && ds.getJavaType() == String.class;
        }

        String string(final String name) throws NirFormatException
        {
            if (!(g.getChild(name) instanceof Dataset ds))
            {
                throw error(name, "is missing");
            }
            return NirReader.string(ds, file, "node '" + node + "' (" + type + "), parameter '" + name + "'");
        }

        int[] intsOrNull(final String name) throws NirFormatException
        {
            final NirTensor t = tensorOrNull(name);
            if (t == null)
            {
                return null;
            }
            if (t.rank() > 1)
            {
                throw error(name, "must be an integer or a list of integers, got shape " + Arrays.toString(t.shape()));
            }
            final int[] out = new int[t.size()];
            for (int i = 0; i < out.length; i++)
            {
                final double v = t.get(i);
                if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE)
                {
                    throw error(name, "must hold integers, got " + v);
                }
                out[i] = (int)v;
            }
            return out;
        }

        int[] ints(final String name) throws NirFormatException
        {
            final int[] v = intsOrNull(name);
            if (v == null)
            {
                throw error(name, "is missing");
            }
            return v;
        }

        /** A single integer, {@code fallback} when the dataset is absent. */
        int integer(final String name, final int fallback) throws NirFormatException
        {
            return g.getChild(name) == null ? fallback : integer(name);
        }

        /** A required single integer. */
        int integer(final String name) throws NirFormatException
        {
            final int[] v = ints(name);
            if (v.length != 1)
            {
                throw error(name, "must be a single integer, got " + v.length + " values");
            }
            return v[0];
        }
    }
}
