package dev.flags.cli;

import picocli.CommandLine.IVersionProvider;

/** flagctl --version: the jar's Implementation-Version. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {
      "flagctl " + (v == null ? "(development build)" : v),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")"
    };
  }
}
