package dev.flags.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = {
      "Named connection settings, like kubectl contexts, in ~/.config/flagctl/config"
          + " (FLAGCTL_CONFIG elsewhere): [name] sections of file, redis, redis-user,"
          + " redis-password, tls, sentinel-master, sentinel-nodes, cluster-nodes, prefix, server,"
          + " token, server-user, server-password, timeout, actor. Choose one with --profile,"
          + " FLAGCTL_PROFILE, or flagctl profile use."
    },
    subcommands = {
      ProfileCommand.ListProfiles.class,
      ProfileCommand.Use.class,
      ProfileCommand.Show.class
    },
    footerHeading = "%nExamples:%n",
    footer = {"  flagctl profile list", "  flagctl profile use prod", "  flagctl profile show"})
final class ProfileCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name what to do: flagctl profile list, use NAME or show [NAME]");
  }

  static String store(Map<Key, String> p) {
    List<String> parts = new ArrayList<>();
    for (Key k : Key.values()) {
      if (k.address() && p.containsKey(k)) {
        parts.add(k.profileName() + " " + Mask.value(k, p.get(k)));
      }
    }
    return parts.isEmpty() ? "(no store)" : String.join(", ", parts);
  }

  @Command(
      name = "list",
      aliases = "ls",
      mixinStandardHelpOptions = true,
      description = "Lists the profiles; * marks the current one.",
      footerHeading = "%nExample:%n",
      footer = "  flagctl profile list")
  static final class ListProfiles extends Base {
    @Override
    public Integer call() {
      ConfigFile c = session().config();
      Optional<String> current = c.current();
      if (json()) {
        List<JsonOut.Obj> list = new ArrayList<>();
        c.profiles()
            .forEach(
                (name, p) ->
                    list.add(
                        JsonOut.obj()
                            .put("name", name)
                            .put("current", current.map(name::equals).orElse(false))
                            .put("store", store(p))));
        printJson(
            JsonOut.obj()
                .put("config", c.path().toString())
                .put("current", current)
                .put("profiles", list));
        return Exit.OK;
      }
      if (c.profiles().isEmpty()) {
        out()
            .println(
                "no profiles in "
                    + c.path()
                    + (c.exists() ? "" : " (it does not exist)")
                    + "; docs/flagctl.md shows how to write one");
        return Exit.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      c.profiles()
          .forEach(
              (name, p) ->
                  rows.add(
                      List.of(current.map(name::equals).orElse(false) ? "*" : "", name, store(p))));
      out().print(Render.table(List.of("CURRENT", "NAME", "STORE"), rows));
      return Exit.OK;
    }
  }

  @Command(
      name = "use",
      mixinStandardHelpOptions = true,
      description = "Makes a profile the current one (the config file's current-profile).",
      footerHeading = "%nExample:%n",
      footer = "  flagctl profile use prod")
  static final class Use extends Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "The profile.")
    @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
    String name;

    @Override
    public Integer call() {
      ConfigFile c = session().config();
      if (!c.profiles().containsKey(name)) {
        throw CliException.notFound(
            "no profile \""
                + name
                + "\" in "
                + c.path()
                + Suggest.didYouMean(name, c.profiles().keySet())
                + "; flagctl profile list shows the profiles");
      }
      c.writeCurrent(name);
      if (json()) {
        printJson(JsonOut.obj().put("current", name).put("store", store(c.profiles().get(name))));
      } else {
        out().println("current profile: " + name + " (" + store(c.profiles().get(name)) + ")");
      }
      return Exit.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Shows the settings in force and where each comes from (an option, an environment"
            + " variable, the profile); with NAME, that profile's settings. Secrets are masked."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  flagctl profile show", "  flagctl profile show prod --json"})
  static final class Show extends Base {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A profile.")
    @Nullable String name;

    @Override
    public Integer call() {
      ConfigFile c = session().config();
      Map<Key, String> values;
      Map<Key, String> sources = Map.of();
      String title;
      if (name != null) {
        values = c.profiles().get(name);
        if (values == null) {
          throw CliException.notFound(
              "no profile \""
                  + name
                  + "\" in "
                  + c.path()
                  + Suggest.didYouMean(name, c.profiles().keySet())
                  + "; flagctl profile list shows the profiles");
        }
        title = "profile " + name + " (" + c.path() + ")";
      } else {
        Settings s = settings();
        values = s.values();
        sources = s.sources();
        title = s.banner();
      }
      if (json()) {
        JsonOut.Obj settings = JsonOut.obj();
        for (Map.Entry<Key, String> e : values.entrySet()) {
          settings.put(
              e.getKey().profileName(),
              JsonOut.obj()
                  .put("value", Mask.value(e.getKey(), e.getValue()))
                  .put("from", Optional.ofNullable(sources.get(e.getKey()))));
        }
        printJson(JsonOut.obj().put("title", title).put("settings", settings));
        return Exit.OK;
      }
      out().println(title);
      List<List<String>> rows = new ArrayList<>();
      for (Map.Entry<Key, String> e : values.entrySet()) {
        rows.add(
            List.of(
                e.getKey().profileName(),
                Mask.value(e.getKey(), e.getValue()),
                sources.getOrDefault(e.getKey(), "")));
      }
      out().print(Render.table(List.of("SETTING", "VALUE", "FROM"), rows));
      return Exit.OK;
    }
  }
}
