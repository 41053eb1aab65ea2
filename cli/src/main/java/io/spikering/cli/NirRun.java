package io.spikering.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.spikering.core.energy.EnergyEstimate;
import io.spikering.core.energy.EnergyProfile;
import io.spikering.core.energy.OpCounts;
import io.spikering.core.energy.OpKind;
import io.spikering.core.engine.Network;
import io.spikering.core.engine.OpCounter.Op;
import io.spikering.core.engine.Population;
import io.spikering.core.engine.PopulationKind;
import io.spikering.interop.nir.NirCompiler;
import io.spikering.interop.nir.NirEvaluation;
import io.spikering.interop.nir.NirFormatException;
import io.spikering.interop.nir.NirGraph;
import io.spikering.interop.nir.NirNetwork;
import io.spikering.interop.nir.NirNode;
import io.spikering.interop.nir.NirReader;
import io.spikering.interop.nir.NirRunOptions;
import io.spikering.interop.nir.NirStateRecorder;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One pass of a NIR graph over NumPy input through the event engine: accuracy, spikes, ops per node and energy. */
final class NirRun
{
    final Path model;
    final NirGraph graph;
    final NirNetwork net;
    final NirData data;
    final NirEvaluation.Result result;
    final OpCounts perInference;
    final List<EnergyEstimate> energy = new ArrayList<>();
    final NirEvaluation.Classify classify;
    final int deliveryThreads;

    private NirRun(final Path model, final NirGraph graph, final NirNetwork net, final NirData data, final NirEvaluation.Result result,
        final List<EnergyProfile> profiles, final NirEvaluation.Classify classify, final int deliveryThreads)
    {
        this.deliveryThreads = deliveryThreads;
        this.model = model;
        this.graph = graph;
        this.net = net;
        this.data = data;
        this.result = result;
        this.classify = classify;
        perInference = result.ops().perSample(result.samples());
        for (final EnergyProfile p : profiles)
        {
            energy.add(p.estimate(perInference));
        }
    }

    /** Reads the graph, refusing it as IllegalArgumentException (exit 2) with the reader's message. */
    static NirGraph read(final Path model)
    {
        try
        {
            return NirReader.read(model);
        }
        catch (final NirFormatException e)
        {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static NirNetwork compile(final NirGraph graph, final NirRunOptions options, final Path model)
    {
        try
        {
            return NirCompiler.compile(graph, options, model.toString());
        }
        catch (final NirFormatException e)
        {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Runs {@code samples} samples (null = all) at {@code semantics}. */
    static NirRun run(final Path model, final NirGraph graph, final NirData data, final NirRunOptions semantics, final Integer samples,
        final int threads, final int deliveryThreads, final NirEvaluation.Classify classify, final Path recordStates,
        final List<EnergyProfile> profiles, final boolean progressBar) throws IOException
    {
        final NirNetwork net = compile(graph, semantics, model);
        data.requireMatches(net);
        final int n = samples == null ? data.size() : samples;
        if (n < 1 || n > data.size())
        {
            throw new IllegalArgumentException("--samples must be in [1, " + data.size() + "] (the samples in " + data.source() + "), got " + n);
        }
        final NirStateRecorder recorder = recordStates == null ? null : new NirStateRecorder(net, n, data.steps());
        final NirEvaluation.Result r;
        if (!progressBar)
        {
            r = NirEvaluation.run(net, data, n, threads, deliveryThreads, classify, recorder, null);
        }
        else
        {
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("dt " + semantics.dt() + " s").setInitialMax(n)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(120).build())
            {
                r = NirEvaluation.run(net, data, n, threads, deliveryThreads, classify, recorder, (sample, correct) ->
                {
                    synchronized (bar)
                    {
                        bar.step();
                    }
                });
            }
        }
        if (recorder != null)
        {
            final List<Path> written = recorder.write(recordStates);
            System.out.println("wrote " + written.size() + " state traces into " + recordStates);
        }
        return new NirRun(model, graph, net, data, r, profiles, classify, deliveryThreads);
    }

    /** The nodes that have a population of their own, in update order (an Output sharing its source's population is left out). */
    private List<String> nodes()
    {
        final List<String> out = new ArrayList<>();
        final Set<Integer> seen = new HashSet<>();
        for (final int id : net.network().order())
        {
            for (final Map.Entry<String, Integer> e : net.populations().entrySet())
            {
                if (e.getValue() == id && seen.add(id))
                {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    private String type(final String node)
    {
        final NirNode n = graph.flatten().node(node);
        return n == null ? "?" : n.type();
    }

    private String role(final Population p)
    {
        if (p.kind() == PopulationKind.INPUT)
        {
            return "input";
        }
        if (p.kind() == PopulationKind.PASS_THROUGH)
        {
            return "pass-through";
        }
        return p.isSpiking() ? "events" : "dense";
    }

    String table()
    {
        final StringBuilder s = new StringBuilder();
        final Network network = net.network();
        final int n = result.samples();
        s.append(String.format(Locale.ROOT, "model %s: NIR graph, %d nodes, %d edges%s%n", model, graph.nodes().size(), graph.edges().size(),
            graph.version().isEmpty() ? "" : ", NIR version " + graph.version()));
        s.append(String.format(Locale.ROOT, "input %s: %d samples used of %d, %d steps, %d values per step; %d thread(s), %d delivery thread(s)%n",
            data.source(), n, data.size(), data.steps(), data.features(), result.threads(), deliveryThreads));
        s.append(String.format(Locale.ROOT, "semantics: %s%n", net.options().describe()));
        if (!net.cycleEdges().isEmpty())
        {
            s.append(String.format(Locale.ROOT, "one-step delay on the connections closing a cycle: %s%n", String.join(", ", net.cycleEdges())));
        }
        s.append('\n');
        if (result.labelled())
        {
            s.append(String.format(Locale.ROOT, "%-28s %15.2f%% (class = output neuron with the %s)%n", "accuracy", 100 * result.accuracy(),
                classify == NirEvaluation.Classify.SPIKES ? "most spikes" : "highest potential"));
        }
        s.append(String.format(Locale.ROOT, "%-28s %16.1f%n", "samples/s", result.samplesPerSecond()));
        s.append(String.format(Locale.ROOT, "%nper inference, per node (ops: the node's own plus the projections into it)%n"));
        s.append(String.format(Locale.ROOT, "%-16s %-10s %-12s %8s %12s", "node", "type", "runs as", "units", "spikes"));
        for (final OpKind k : OpKind.values())
        {
            s.append(String.format(Locale.ROOT, " %14s", k.key()));
        }
        s.append('\n');
        for (final String node : nodes())
        {
            final int id = net.populations().get(node);
            final Population p = network.population(id);
            s.append(String.format(Locale.ROOT, "%-16s %-10s %-12s %8d %12s", node, type(node), role(p), p.outputSize(),
                p.isSpiking() ? String.format(Locale.ROOT, "%.1f", (double)result.spikes()[id] / n) : "-"));
            for (final OpKind k : OpKind.values())
            {
                s.append(String.format(Locale.ROOT, " %14.0f", (double)result.ops().layer(id, Op.valueOf(k.name())) / n));
            }
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "%-16s %-10s %-12s %8s %12s", "total", "", "", "", ""));
        for (final OpKind k : OpKind.values())
        {
            s.append(String.format(Locale.ROOT, " %14.0f", perInference.get(k)));
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "%nenergy per inference (estimates; see docs/energy.md)%n"));
        for (final EnergyEstimate e : energy)
        {
            s.append(String.format(Locale.ROOT, "%-28s %16s%n", e.profileName(), EnergyEstimate.format(e.joules())));
        }
        return s.toString();
    }

    JsonObject json()
    {
        final JsonObject o = new JsonObject();
        final Network network = net.network();
        final int n = result.samples();
        o.addProperty("model", model.toString());
        o.addProperty("format", "nir");
        o.addProperty("input", data.source());
        o.addProperty("samples", n);
        o.addProperty("steps", data.steps());
        final NirRunOptions s = net.options();
        o.addProperty("dt", s.dt());
        o.addProperty("discretization", s.discretization().name().toLowerCase(Locale.ROOT));
        o.addProperty("reset", s.reset() == io.spikering.core.engine.NeuronDynamics.Reset.SUBTRACT ? "subtract" : "v-reset");
        o.addProperty("threshold", s.thresholdTest() == io.spikering.core.engine.NeuronDynamics.ThresholdTest.STRICT ? "strict" : "non-strict");
        o.addProperty("cuba_order", s.currentOrder() == io.spikering.core.engine.NeuronDynamics.CurrentOrder.UPDATED ? "updated" : "start");
        o.addProperty("spikes", s.spikes().name().toLowerCase(Locale.ROOT));
        o.addProperty("edge_delay", s.edgeDelay());
        final JsonArray cycles = new JsonArray();
        net.cycleEdges().forEach(cycles::add);
        o.add("cycle_edges", cycles);
        o.addProperty("classify", classify.name().toLowerCase(Locale.ROOT));
        if (result.labelled())
        {
            o.addProperty("accuracy", result.accuracy());
        }
        o.addProperty("threads", result.threads());
        o.addProperty("samples_per_second", result.samplesPerSecond());
        final JsonArray predictions = new JsonArray();
        for (final int p : result.predictions())
        {
            predictions.add(p);
        }
        o.add("predictions", predictions);
        final JsonObject ops = new JsonObject();
        for (final OpKind k : OpKind.values())
        {
            ops.addProperty(k.key(), perInference.get(k));
        }
        o.add("ops", ops);
        final JsonObject nodes = new JsonObject();
        for (final String node : nodes())
        {
            final int id = net.populations().get(node);
            final Population p = network.population(id);
            final JsonObject l = new JsonObject();
            l.addProperty("type", type(node));
            l.addProperty("runs_as", role(p));
            l.addProperty("units", p.outputSize());
            if (p.isSpiking())
            {
                l.addProperty("spikes", (double)result.spikes()[id] / n);
            }
            for (final OpKind k : OpKind.values())
            {
                l.addProperty(k.key(), (double)result.ops().layer(id, Op.valueOf(k.name())) / n);
            }
            nodes.add(node, l);
        }
        o.add("nodes", nodes);
        final JsonObject e = new JsonObject();
        for (final EnergyEstimate x : energy)
        {
            e.addProperty(x.profileName(), x.joules());
        }
        o.add("energy", e);
        o.addProperty("energy_note", "estimates in joules per inference: op counts times per-operation costs of each profile");
        return o;
    }

    String jsonText()
    {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create().toJson(json());
    }

    /** Writes report.md and report.json into {@code dir}. */
    void write(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), jsonText(), StandardCharsets.UTF_8);
        final String md = "# spikering run report (NIR graph)\n\n" +
            "Model `" + model + "`, input `" + data.source() + "`. Run semantics: docs/nir.md; field definitions: docs/user-guide.md. " +
            "Energy figures are **estimates** (docs/energy.md).\n\n```\n" + table() + "```\n";
        Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
    }
}
