package dev.flags.cli;

import dev.flags.core.JsonValue;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command has: the session, the output mode, the store. */
abstract class Base implements Callable<Integer> {

  @Spec CommandSpec spec;

  Cli cli() {
    return (Cli) spec.root().userObject();
  }

  Session session() {
    return cli().session;
  }

  boolean json() {
    return cli().json;
  }

  PrintWriter out() {
    return session().out;
  }

  PrintWriter err() {
    return session().err;
  }

  Backend backend() {
    return session().backend(cli(), false, writes());
  }

  Settings settings() {
    return session().settings(cli());
  }

  void printJson(JsonValue v) {
    out().println(JsonOut.pretty(v));
  }

  void printJson(JsonOut.Obj v) {
    printJson(v.build());
  }

  /** The flag, or exit 1 with a message naming the closest key. */
  FlagState require(String key) {
    return backend().find(key).orElseThrow(() -> notFound(key));
  }

  CliException notFound(String key) {
    String hint = "";
    try {
      hint = Suggest.didYouMean(key, backend().list().stream().map(Summary::key).toList());
    } catch (RuntimeException e) {
      // The hint is a courtesy: the store answered the lookup, a listing may still fail.
    }
    return CliException.notFound(
        "no flag \""
            + key
            + "\" in "
            + backend().description()
            + hint
            + "; flagctl list shows the flags there");
  }

  /** Whether this command writes (its errors then say that nothing was written). */
  boolean writes() {
    return false;
  }
}
