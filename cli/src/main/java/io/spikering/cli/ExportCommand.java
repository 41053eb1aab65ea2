package io.spikering.cli;

import io.spikering.core.bench.CubaNetwork;
import io.spikering.interop.nir.NirExport;
import io.spikering.interop.nir.NirFormatException;
import io.spikering.interop.nir.NirGraph;
import io.spikering.interop.nir.NirReader;
import io.spikering.interop.nir.NirValidator;
import io.spikering.interop.nir.NirWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikering export --nir OUT.nir (--from G.nir | --cuba ...)}: networks as NIR graphs (docs/nir.md). */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
        "Write a network as a NIR graph (HDF5, the layout of the nir Python package), for other NIR simulators and chips.",
        "--from G.nir re-writes a graph we read (validated; read(write(g)) equals g). --cuba writes the CUBA benchmark",
        "network (LIF neurons with excitatory/inhibitory current synapses) in SI units; see docs/nir.md."})
public final class ExportCommand implements Callable<Integer>
{
    @Option(names = "--nir", required = true, paramLabel = "OUT.nir", description = "The NIR file to write.")
    Path out;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source
    {
        @Option(names = "--from", paramLabel = "G.nir", description = "A NIR graph to read, validate and re-write.")
        Path from;

        @Option(names = "--cuba", description = "The CUBA benchmark network (the bench command's network).")
        boolean cuba;
    }

    @Option(names = "--seed", defaultValue = "42", description = "CUBA: connectivity and initial-state seed (default ${DEFAULT-VALUE}, as bench).")
    long seed;

    @Option(names = "--excitatory", defaultValue = "" + CubaNetwork.EXCITATORY, description = "CUBA: excitatory neurons (default ${DEFAULT-VALUE}).")
    int excitatory;

    @Option(names = "--inhibitory", defaultValue = "" + CubaNetwork.INHIBITORY, description = "CUBA: inhibitory neurons (default ${DEFAULT-VALUE}).")
    int inhibitory;

    @Option(names = "--ce", defaultValue = "" + CubaNetwork.CE, description = "CUBA: excitatory synapses per neuron (default ${DEFAULT-VALUE}).")
    int ce;

    @Option(names = "--ci", defaultValue = "" + CubaNetwork.CI, description = "CUBA: inhibitory synapses per neuron (default ${DEFAULT-VALUE}).")
    int ci;

    @Option(names = "--drop-refractory", description = "Write LIF neurons without their refractory period, which NIR cannot"
        + " express (recorded in the file's metadata); without it such a network is refused.")
    boolean dropRefractory;

    public Integer call() throws Exception
    {
        final NirGraph graph;
        final String what;
        if (source.from != null)
        {
            graph = NirReader.read(source.from);
            what = source.from.toString();
        }
        else
        {
            what = String.format(Locale.ROOT, "spikering CubaNetwork (Brette et al. 2007 CUBA, NEST iaf_psc_exp): %d excitatory,"
                + " %d inhibitory, in-degrees %d/%d, seed %d", excitatory, inhibitory, ce, ci, seed);
            graph = NirValidator.validate(NirExport.lifParts(CubaNetwork.build(seed, excitatory, inhibitory, ce, ci),
                dropRefractory, what), "exported network");
        }
        if (source.from != null && dropRefractory)
        {
            throw new IllegalArgumentException("--drop-refractory applies to --cuba only: a NIR graph has no refractory period");
        }
        NirWriter.write(graph, out);
        long params = 0;
        for (final var n : graph.nodes().values())
        {
            params += n.parameterCount();
        }
        System.out.printf(Locale.ROOT, "wrote %s: %d nodes, %d edges, %d parameters, %d bytes (NIR %s layout) from %s%n", out,
            graph.nodes().size(), graph.edges().size(), params, Files.size(out), NirWriter.NIR_VERSION, what);
        if (graph.metadata().get("dropped") instanceof String dropped)
        {
            System.out.println("not expressible in NIR, left out: " + dropped);
        }
        return 0;
    }
}
