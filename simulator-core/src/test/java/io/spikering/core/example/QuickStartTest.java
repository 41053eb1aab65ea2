package io.spikering.core.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docs/java-quickstart.md cannot rot: its example is this module's QuickStart.java, verbatim, and runs on the class path it lists. */
class QuickStartTest
{
    private static final Path DOC = Path.of("..", "docs", "java-quickstart.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "io", "spikering", "core", "example", "QuickStart.java");
    private static final Path MODEL = Path.of("..", "models", "psmnist-lmu-hybrid.safetensors");

    @Test
    void theDocsExampleIsTheCompiledSourceVerbatim() throws IOException
    {
        final String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        final int start = doc.indexOf("```java\n");
        assertTrue(start >= 0, "no ```java block in " + DOC);
        final String block = doc.substring(start + 8, doc.indexOf("```", start + 8));
        assertEquals(Files.readString(SOURCE, StandardCharsets.UTF_8), block, DOC + " and " + SOURCE + " differ: copy the source into the doc");
    }

    @Test
    void itRunsInAFreshJvmOnExactlyTheListedClassPath() throws Exception
    {
        final String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        final List<String> entries = new ArrayList<>();
        entries.add(Path.of("target", "test-classes").toString());
        entries.add(Path.of("target", "classes").toString());
        entries.add(Path.of("..", "neuron-models", "target", "classes").toString());
        for (final String jar : new String[] {"gson", "disruptor"})
        {
            final String path = onClassPath(jar);
            final String name = Path.of(path).getFileName().toString();
            final String version = name.substring(jar.length() + 1, name.length() - ".jar".length());
            assertTrue(doc.contains(":" + jar + ":" + version + "`"), "the doc does not list " + jar + " " + version);
            entries.add(path);
        }
        final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            String.join(File.pathSeparator, entries), QuickStart.class.getName(), MODEL.toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.strip().matches("class \\d, \\d+ synaptic operations"), out);
        assertTrue(doc.contains("`" + out.strip() + "`"), "the doc's sample output differs from: " + out);
    }

    /** The test class path's jar whose file name is {@code artifact}-VERSION.jar. */
    private static String onClassPath(final String artifact)
    {
        for (final String e : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final String name = Path.of(e).getFileName().toString();
            if (name.startsWith(artifact + "-") && name.endsWith(".jar") && Character.isDigit(name.charAt(artifact.length() + 1)))
            {
                return e;
            }
        }
        throw new AssertionError(artifact + " is not on the test class path");
    }
}
