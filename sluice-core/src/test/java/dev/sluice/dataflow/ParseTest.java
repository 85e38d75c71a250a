package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The argument helpers, checked against bytewax's parse tests. */
class ParseTest {

  @Test
  void clusterArgsReadsWorkersAndProcessCount() {
    assertThat(Parse.clusterArgs("-w2", "-n3")).isEqualTo(new ClusterArgs(3, 2));
    assertThat(Parse.clusterArgs("-w", "2", "-n", "3")).isEqualTo(new ClusterArgs(3, 2));
    assertThat(Parse.clusterArgs("-w=4")).isEqualTo(new ClusterArgs(1, 4));
  }

  @Test
  void clusterArgsDefaultsToOneProcessWithOneWorker() {
    assertThat(Parse.clusterArgs()).isEqualTo(new ClusterArgs(1, 1));
  }

  @Test
  void aRepeatedFlagKeepsItsLastValue() {
    assertThat(Parse.clusterArgs("-w1", "-w", "5")).isEqualTo(new ClusterArgs(1, 5));
  }

  @Test
  void clusterArgsRejectsUnknownFlagsMissingAndBadValues() {
    assertThatThrownBy(() -> Parse.clusterArgs("-x", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unrecognized argument \"-x\"; expected -w VALUE, -n VALUE");
    assertThatThrownBy(() -> Parse.clusterArgs("-w"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-w needs a value");
    assertThatThrownBy(() -> Parse.clusterArgs("-wtwo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-w needs an integer value: \"two\"");
    assertThatThrownBy(() -> Parse.clusterArgs("-n0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("procCount must be at least 1: 0");
  }

  @Test
  void procArgsReadsWorkersProcessIdAndEveryAddress() {
    ProcArgs args = Parse.procArgs("-w2", "-p0", "-a", "localhost:1234", "-a", "localhost:5678");

    assertThat(args).isEqualTo(new ProcArgs(List.of("localhost:1234", "localhost:5678"), 0, 2));
  }

  @Test
  void procArgsDefaultsToOneWorker() {
    assertThat(Parse.procArgs("-p", "1", "-a", "h:1", "-a=h:2").workersPerProc()).isEqualTo(1);
    assertThat(Parse.procArgs("-p", "1", "-a", "h:1", "-a=h:2").addresses())
        .containsExactly("h:1", "h:2");
  }

  @Test
  void procArgsRequiresProcessIdAndAddresses() {
    assertThatThrownBy(() -> Parse.procArgs("-w2", "-a", "h:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-p (this process's id) is required: [-w2, -a, h:1]");
    assertThatThrownBy(() -> Parse.procArgs("-p0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-a (the host:port of every process) is required: [-p0]");
    assertThatThrownBy(() -> Parse.procArgs("-p0", "-n2", "-a", "h:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unrecognized argument \"-n2\"");
  }

  @Test
  void procEnvReadsAHostFileAndAStatefulSetPodNameAsInBytewaxsTest(@TempDir Path dir)
      throws Exception {
    Path hosts = dir.resolve("hosts.txt");
    Files.writeString(hosts, "localhost:1234\nlocalhost:5678\n\n");

    ProcArgs args =
        Parse.procEnv(
            Map.of(
                "BYTEWAX_WORKERS_PER_PROCESS", "2",
                "BYTEWAX_HOSTFILE_PATH", hosts.toString(),
                "BYTEWAX_POD_NAME", "stateful_set-0",
                "BYTEWAX_STATEFULSET_NAME", "stateful_set"));

    assertThat(args).isEqualTo(new ProcArgs(List.of("localhost:1234", "localhost:5678"), 0, 2));
  }

  @Test
  void procEnvReadsASemicolonSeparatedListAndAProcessIdUnderSluiceNames() {
    ProcArgs args =
        Parse.procEnv(
            Map.of(
                "SLUICE_WORKERS_PER_PROCESS", "3",
                "SLUICE_ADDRESSES", "a:1;b:2;c:3",
                "SLUICE_PROCESS_ID", "2",
                "SLUICE_POD_NAME", "flow-0",
                "SLUICE_STATEFULSET_NAME", "flow"));

    assertThat(args).isEqualTo(new ProcArgs(List.of("a:1", "b:2", "c:3"), 2, 3));
  }

  @Test
  void procEnvPrefersTheAddressListToTheHostFileAndSluiceNamesToBytewaxNames() {
    ProcArgs args =
        Parse.procEnv(
            Map.of(
                "SLUICE_WORKERS_PER_PROCESS", "1",
                "BYTEWAX_WORKERS_PER_PROCESS", "9",
                "SLUICE_ADDRESSES", "a:1",
                "SLUICE_HOSTFILE_PATH", "/no/such/file",
                "SLUICE_POD_NAME", "flow-12",
                "SLUICE_STATEFULSET_NAME", "flow"));

    assertThat(args).isEqualTo(new ProcArgs(List.of("a:1"), 12, 1));
  }

  @Test
  void procEnvNamesWhatIsMissingOrBad() {
    assertThatThrownBy(() -> Parse.procEnv(Map.of("SLUICE_ADDRESSES", "a:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_WORKERS_PER_PROCESS");
    assertThatThrownBy(
            () ->
                Parse.procEnv(Map.of("SLUICE_WORKERS_PER_PROCESS", "1", "SLUICE_PROCESS_ID", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_ADDRESSES or SLUICE_HOSTFILE_PATH");
    assertThatThrownBy(
            () ->
                Parse.procEnv(Map.of("SLUICE_WORKERS_PER_PROCESS", "1", "SLUICE_ADDRESSES", "a:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_PROCESS_ID");
    assertThatThrownBy(
            () ->
                Parse.procEnv(
                    Map.of(
                        "SLUICE_WORKERS_PER_PROCESS", "1",
                        "SLUICE_ADDRESSES", "a:1",
                        "SLUICE_POD_NAME", "other-3",
                        "SLUICE_STATEFULSET_NAME", "flow")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("POD_NAME must be an integer: \"other-3\"");
    assertThatThrownBy(
            () ->
                Parse.procEnv(
                    Map.of(
                        "SLUICE_WORKERS_PER_PROCESS", "1",
                        "SLUICE_HOSTFILE_PATH", "/no/such/hosts",
                        "SLUICE_PROCESS_ID", "0")))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("cannot read the host file /no/such/hosts");
  }
}
