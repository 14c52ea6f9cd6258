package io.tinysparse.jobs.cluster;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.io.OutputStream;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 made from the Maven-resolved jars alone (no Spark
 * distribution): a master and N one-core workers, each its own JVM, and submission through
 * {@code org.apache.spark.deploy.SparkSubmit} as a user's {@code spark-submit} would do.
 *
 * <p>SPARK_HOME is a temporary directory whose {@code jars/} links the runtime classpath minus
 * the application's own artifacts (tinysparse, which reaches executors only inside the
 * application jar, as on a real cluster) and the dl4j module's DL4J/ND4J and their natives
 * (which the spark-submit jar leaves out, so executors must not need them). Every process is
 * stopped by {@link #close()}.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Set<String> APP_GROUPS = Set.of(
            "io/tinysparse", "org/deeplearning4j", "org/nd4j", "org/bytedeco");

    private final Path home;
    private final int masterPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> jvmFlags;

    private StandaloneCluster(Path home, int masterPort, List<String> jvmFlags) {
        this.home = home;
        this.masterPort = masterPort;
        this.jvmFlags = jvmFlags;
    }

    /**
     * The JVM flags Spark needs on Java 17 (module opens, Netty's reflection switch) and the
     * engine's Vector API module, taken from this JVM's own command line: Maven's surefire
     * {@code argLine} and {@code bin/jvm-flags.sh} are the one place they are listed.
     */
    public static final List<String> SPARK_FLAGS = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules")
                    || a.equals("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Dio.netty."))
            .toList();

    /** A jar of this project's compiled classes (the modules' target/classes on the test classpath). */
    public static Path appJar(Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path root = Path.of(entry);
                if (!entry.endsWith("target" + File.separator + "classes") || !Files.isDirectory(root)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        String name = root.relativize(f).toString().replace(File.separatorChar, '/');
                        try {
                            out.putNextEntry(new JarEntry(name));
                        } catch (java.util.zip.ZipException duplicate) {
                            continue;
                        }
                        Files.copy(f, (OutputStream) out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    /**
     * Starts a master and {@code workers} workers.
     *
     * @param runtimeClasspath the full runtime classpath (Spark included), path-separated
     * @param jvmFlags the JVM flags Spark needs ({@code --add-opens} list)
     * @param workDir a directory for SPARK_HOME, logs and worker directories
     */
    public static StandaloneCluster start(String runtimeClasspath, List<String> jvmFlags, Path workDir, int workers)
            throws IOException {
        Path home = Files.createDirectories(workDir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        // Spark's launcher takes SPARK_HOME/jars only from a home with a RELEASE file (a
        // distribution); without one it looks for a source build's assembly directory.
        Files.writeString(home.resolve("RELEASE"), "Spark jars resolved by Maven for tinysparse tests\n");
        for (String entry : runtimeClasspath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar) || isAppArtifact(entry)) {
                continue;
            }
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        Files.writeString(home.resolve("conf/log4j2.properties"),
                "rootLogger.level = warn\nrootLogger.appenderRef.stdout.ref = console\n"
                        + "appender.console.type = Console\nappender.console.name = console\n"
                        + "appender.console.layout.type = PatternLayout\n"
                        + "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n");
        int port = freePort();
        StandaloneCluster c = new StandaloneCluster(home, port, jvmFlags);
        try {
            c.spawn("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort())));
            waitForPort(port, Duration.ofSeconds(60));
            for (int i = 0; i < workers; i++) {
                Path wd = Files.createDirectories(workDir.resolve("worker-" + i));
                c.spawn("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "4g", "--webui-port", Integer.toString(freePort()),
                        "--work-dir", wd.toString(), c.masterUrl()));
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The master URL, {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /**
     * Submits {@code mainClass} from {@code appJar} with {@code args} through SparkSubmit and
     * waits for it; returns its exit code. Its output goes to {@code log}.
     */
    public int submit(String mainClass, Path appJar, List<String> sparkConf, List<String> args, Path log,
            Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", masterUrl(), "--conf", "spark.driver.host=127.0.0.1"));
        for (String kv : sparkConf) {
            cmd.add("--conf");
            cmd.add(kv);
        }
        cmd.add("--class");
        cmd.add(mainClass);
        cmd.add(appJar.toString());
        cmd.addAll(args);
        Process p = javaProcess(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException("spark-submit did not finish within " + timeout + "; see " + log);
        }
        return p.exitValue();
    }

    private void spawn(String name, List<String> mainAndArgs) throws IOException {
        Process p = javaProcess(mainAndArgs)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile())
                .start();
        processes.add(p);
    }

    private ProcessBuilder javaProcess(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(home.resolve("conf") + File.pathSeparator + home.resolve("jars") + File.separator + "*");
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SPARK_HOME", home.toString());
        // Read by Spark's launcher before it looks for SPARK_HOME/jars (else: a source build's dirs).
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb;
    }

    /** The directory holding the master's and workers' logs. */
    public Path logDirectory() {
        return home;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isAppArtifact(String path) {
        String p = path.replace('\\', '/');
        for (String g : APP_GROUPS) {
            if (p.contains("/" + g + "/")) {
                return true;
            }
        }
        return p.contains("/tinysparse-");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitForPort(int port, Duration timeout) throws IOException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
        throw new IOException("Spark master did not open port " + port + " within " + timeout);
    }
}
