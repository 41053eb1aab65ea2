package io.spikering.interop.nir;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link NirGraph} in the HDF5 layout the nir Python package (1.0) writes, so that {@code nir.read} loads it:
 * root dataset {@code version}, group {@code node} (type "NIRGraph", {@code nodes/<name>/} groups, {@code edges} N x 2
 * strings, {@code metadata} when not empty). Parameters are float64 arrays of their shape (from 4,096 values chunked and
 * deflated, as nir's gzip default), shapes and integer
 * hyper-parameters int64 (Conv1d's as scalars, Conv2d's as pairs, as NIR stores them), strings UTF-8. Shapes the graph
 * does not know (Flatten input_type, Conv input_shape before inference) are left out, as older NIR writers did.
 * The writer serialises what it is given; call {@link NirValidator#validate} first to refuse a broken graph.
 */
public final class NirWriter
{
    /** The NIR version whose layout this writer follows (v_reset and w_in always present, Conv input_shape, Flatten input_type). */
    public static final String NIR_VERSION = "1.0.7";

    private static final int COMPRESS_FROM = 4096;

    private NirWriter()
    {
    }

    public static void write(final NirGraph graph, final Path file) throws NirFormatException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            if (file.getParent() != null)
            {
                Files.createDirectories(file.getParent());
            }
            try (WritableHdfFile hdf = HdfFile.write(tmp))
            {
                hdf.putDataset("version", NIR_VERSION);
                writeGraph(hdf.putGroup("node"), graph);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException e)
        {
            throw new NirFormatException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
        catch (final HdfException | UncheckedIOException e)
        {
            throw new NirFormatException(file + ": HDF5 writing failed (" + e.getMessage() + ")", e);
        }
        finally
        {
            try
            {
                Files.deleteIfExists(tmp);
            }
            catch (final IOException ignored)
            {
                // the move succeeded or the write already failed with a clearer error
            }
        }
    }

    private static void writeGraph(final WritableGroup g, final NirGraph graph)
    {
        g.putDataset("type", "NIRGraph");
        final WritableGroup nodes = g.putGroup("nodes");
        for (final Map.Entry<String, NirNode> e : graph.nodes().entrySet())
        {
            writeNode(nodes.putGroup(e.getKey()), e.getValue());
        }
        final List<NirEdge> edges = graph.edges();
        if (edges.isEmpty())
        {
            g.putDataset("edges", new double[0]); // what nir writes for an empty edge list
        }
        else
        {
            final String[][] pairs = new String[edges.size()][];
            for (int i = 0; i < pairs.length; i++)
            {
                pairs[i] = new String[] {edges.get(i).source(), edges.get(i).target()};
            }
            g.putDataset("edges", pairs);
        }
        if (!graph.metadata().isEmpty())
        {
            writeMetadata(g.putGroup("metadata"), graph.metadata());
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeMetadata(final WritableGroup g, final Map<String, Object> metadata)
    {
        for (final Map.Entry<String, Object> e : metadata.entrySet())
        {
            final Object v = e.getValue();
            if (v instanceof NirTensor t)
            {
                putTensor(g, e.getKey(), t);
            }
            else if (v instanceof Map<?, ?> m)
            {
                writeMetadata(g.putGroup(e.getKey()), (Map<String, Object>)m);
            }
            else
            {
                g.putDataset(e.getKey(), String.valueOf(v));
            }
        }
    }

    private static void writeNode(final WritableGroup g, final NirNode node)
    {
        if (node instanceof NirNode.Graph sub)
        {
            writeGraph(g, sub.graph());
            return;
        }
        g.putDataset("type", node.type());
        if (node instanceof NirNode.Input n)
        {
            g.putDataset("shape", longs(n.shape()));
        }
        else if (node instanceof NirNode.Output n)
        {
            g.putDataset("shape", longs(n.shape()));
        }
        else if (node instanceof NirNode.Flatten n)
        {
            g.putDataset("start_dim", (long)n.startDim());
            g.putDataset("end_dim", (long)n.endDim());
            if (n.inputType() != null)
            {
                g.putDataset("input_type", longs(n.inputType()));
            }
        }
        else if (node instanceof NirNode.Conv1d n)
        {
            if (n.spatialInputShape() != null)
            {
                g.putDataset("input_shape", (long)n.spatialInputShape()[0]);
            }
            g.putDataset("stride", (long)n.stride()[0]);
            g.putDataset("padding", (long)n.padding()[0]);
            g.putDataset("dilation", (long)n.dilation()[0]);
            g.putDataset("groups", (long)n.groups());
        }
        else if (node instanceof NirNode.Conv2d n)
        {
            if (n.spatialInputShape() != null)
            {
                g.putDataset("input_shape", longs(n.spatialInputShape()));
            }
            g.putDataset("stride", longs(n.stride()));
            g.putDataset("padding", longs(n.padding()));
            g.putDataset("dilation", longs(n.dilation()));
            g.putDataset("groups", (long)n.groups());
        }
        else if (node instanceof NirNode.SumPool2d n)
        {
            pool(g, n.kernelSize(), n.stride(), n.padding());
        }
        else if (node instanceof NirNode.AvgPool2d n)
        {
            pool(g, n.kernelSize(), n.stride(), n.padding());
        }
        else if (node instanceof NirNode.SigmaDelta n)
        {
            g.putDataset("activation", n.activation());
            g.putDataset("signed", n.signed() ? 1L : 0L);
        }
        for (final Map.Entry<String, NirTensor> p : node.parameters().entrySet())
        {
            putTensor(g, p.getKey(), p.getValue());
        }
    }

    private static void pool(final WritableGroup g, final int[] kernel, final int[] stride, final int[] padding)
    {
        g.putDataset("kernel_size", longs(kernel));
        g.putDataset("stride", longs(stride));
        g.putDataset("padding", longs(padding));
    }

    private static long[] longs(final int[] v)
    {
        final long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++)
        {
            out[i] = v[i];
        }
        return out;
    }

    /** Large tensors (sparse weight matrices above all) are stored deflated, in chunks of about 256 KiB, as nir does. */
    private static void putTensor(final WritableGroup g, final String name, final NirTensor t)
    {
        if (t.size() < COMPRESS_FROM || t.rank() == 0)
        {
            g.putDataset(name, nested(t));
            return;
        }
        final int[] chunk = t.shape();
        final long row = t.size() / chunk[0];
        chunk[0] = (int)Math.max(1, Math.min(chunk[0], (1 << 15) / Math.max(1, row)));
        g.putDataset(name, nested(t), DatasetCreationOptions.builder().chunkDimensions(chunk).shuffle().deflate(6).build());
    }

    /** The values as a (nested) double array of the tensor's shape, or a Double for shape []. */
    private static Object nested(final NirTensor t)
    {
        final int[] shape = t.shape();
        if (shape.length == 0)
        {
            return t.get(0);
        }
        final Object array = Array.newInstance(double.class, shape);
        fill(array, t, shape, 0, 0);
        return array;
    }

    private static int fill(final Object array, final NirTensor t, final int[] shape, final int axis, final int offset)
    {
        if (axis == shape.length - 1)
        {
            final double[] row = (double[])array;
            for (int i = 0; i < row.length; i++)
            {
                row[i] = t.get(offset + i);
            }
            return offset + row.length;
        }
        int next = offset;
        for (int i = 0; i < shape[axis]; i++)
        {
            next = fill(Array.get(array, i), t, shape, axis + 1, next);
        }
        return next;
    }
}
