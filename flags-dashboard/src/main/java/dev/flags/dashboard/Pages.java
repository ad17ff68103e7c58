package dev.flags.dashboard;

import dev.flags.core.Flag;
import dev.flags.core.GuardedRollout;
import dev.flags.core.JsonValue;
import dev.flags.core.Prerequisite;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Serve;
import dev.flags.core.Target;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.FlagRecord;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.json.FlagCodec;
import dev.flags.integration.AuditDiff;
import dev.flags.integration.HealthReport;
import dev.flags.integration.RolloutPlans;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's pages, as HTML. Every text that comes from a flag, a user or the store is escaped
 * ({@link Html#text}); markup is literal. Every change is a form that works without JavaScript.
 * Thread-safe: it keeps no state between pages.
 */
final class Pages {

  /** The most targets a page lists with a box to untick; the rest are counted. */
  static final int LISTED_TARGETS = 100;

  private final DashboardHandler.Backend b;
  private final String base;

  Pages(DashboardHandler.Backend backend, String base) {
    this.b = backend;
    this.base = base;
  }

  /** A message at the top of a page: saved, a conflict, an error. */
  record Notice(String kind, String text) {
    static Notice saved(String version) {
      return new Notice("saved", "Saved: the flag is now version " + version + ".");
    }

    static Notice conflict(String text) {
      return new Notice("conflict", text);
    }

    static Notice error(String text) {
      return new Notice("error", text);
    }

    /** After a guarded rollout action ({@code ?plan=pause}). */
    static Optional<Notice> plan(String action) {
      return RolloutPlans.Action.of(action)
          .map(a -> new Notice("saved", "Done: the guarded rollout is " + a.done() + "."));
    }
  }

  /** A plan's state for people. */
  static String planState(RolloutPlans.State s) {
    return switch (s) {
      case PENDING -> "not started";
      case RUNNING -> "running";
      case PAUSED -> "paused";
      case DONE -> "done";
      case ROLLED_BACK -> "rolled back";
      case ABORTED -> "aborted";
    };
  }

  // ---------------------------------------------------------------- all flags

  String allFlags(
      DashboardHandler.Viewer v, DashboardHandler.Listing listing, Map<String, String> q) {
    Instant now = b.clock().instant();
    List<Row> rows = listing.rows();
    boolean fromClient = listing.fromClient();
    String query = q.getOrDefault("q", "").strip();
    String tag = q.getOrDefault("tag", "");
    String owner = q.getOrDefault("owner", "");
    String state = q.getOrDefault("state", "");
    boolean past = q.containsKey("past");
    boolean malformed = q.containsKey("malformed");
    Set<String> tags = new TreeSet<>();
    Set<String> owners = new TreeSet<>();
    for (Row r : rows) {
      tags.addAll(r.tags());
      if (!r.owner().isEmpty()) {
        owners.add(r.owner());
      }
    }
    Html h = new Html(16384 + rows.size() * 160);
    head(h, v, "All flags", "all", "");
    h.raw("<h1>All flags</h1>");
    storeBanner(h);
    if (fromClient) {
      h.raw("<p class=\"notice error\" role=\"alert\">")
          .text(
              "The store does not answer: this is what this instance serves, without the last"
                  + " changes. Changes cannot be made until it is back.")
          .raw("</p>");
    }
    h.raw("<form class=\"filters\" method=\"get\" role=\"search\" aria-label=\"Filter flags\"")
        .attr("action", base + "/")
        .raw(">");
    h.raw("<div class=\"field grow\"><label for=\"q\">Search</label>")
        .raw("<input type=\"search\" id=\"q\" name=\"q\" autocomplete=\"off\"")
        .raw(" placeholder=\"key or description\"")
        .attr("value", query)
        .raw("></div>");
    select(h, "tag", "Tag", tags, tag);
    select(h, "owner", "Owner", owners, owner);
    h.raw(
        "<div class=\"field\"><label for=\"state\">State</label><select id=\"state\" name=\"state\">");
    option(h, "", "Any", state);
    option(h, "on", "On", state);
    option(h, "off", "Off", state);
    h.raw("</select></div>");
    h.raw(
            "<div class=\"field check\"><input type=\"checkbox\" id=\"past\" name=\"past\" value=\"1\"")
        .flag("checked", past)
        .raw("><label for=\"past\">Past kill date</label></div>");
    h.raw(
            "<div class=\"field check\"><input type=\"checkbox\" id=\"malformed\" name=\"malformed\""
                + " value=\"1\"")
        .flag("checked", malformed)
        .raw("><label for=\"malformed\">Malformed</label></div>");
    h.raw("<div class=\"field\"><button type=\"submit\" class=\"secondary\">Filter</button></div>");
    h.raw("</form>");
    String needle = query.toLowerCase(Locale.ROOT);
    List<Row> matching = new ArrayList<>();
    for (Row r : rows) {
      boolean keep =
          (needle.isEmpty()
                  || r.key().toLowerCase(Locale.ROOT).contains(needle)
                  || r.description().toLowerCase(Locale.ROOT).contains(needle))
              && (tag.isEmpty() || r.tags().contains(tag))
              && (owner.isEmpty() || r.owner().equals(owner))
              && (state.isEmpty()
                  || (r.malformed().isEmpty() && r.on().orElse(false) == state.equals("on")))
              && (!past || r.pastKillDate())
              && (!malformed || r.malformed().isPresent());
      if (keep) {
        matching.add(r);
      }
    }
    int pages = Math.max(1, (matching.size() + PAGE_ROWS - 1) / PAGE_ROWS);
    int pageNumber = 1;
    try {
      pageNumber = Math.min(pages, Math.max(1, Integer.parseInt(q.getOrDefault("page", "1"))));
    } catch (NumberFormatException e) {
      // page 1
    }
    int from = (pageNumber - 1) * PAGE_ROWS;
    int to = Math.min(matching.size(), from + PAGE_ROWS);
    h.raw("<p id=\"count\" class=\"count\" role=\"status\">")
        .text(count(matching.size(), rows.size(), from, to))
        .raw("</p>");
    h.raw("<p id=\"new-flags\" class=\"notice\" hidden></p>");
    h.raw("<div class=\"table-wrap\"><table id=\"flags\" class=\"flags\">")
        .raw("<caption class=\"visually-hidden\">Flags, one per row</caption><thead><tr>")
        .raw("<th scope=\"col\" class=\"c-key\">Flag</th>")
        .raw("<th scope=\"col\" class=\"c-state\">State</th>")
        .raw("<th scope=\"col\" class=\"c-rollout\">Rollout</th>")
        .raw("<th scope=\"col\" class=\"c-owner\">Owner</th>")
        .raw("<th scope=\"col\" class=\"c-kill\">Kill date</th>")
        .raw("<th scope=\"col\" class=\"c-change\">Last change</th>")
        .raw("</tr></thead><tbody>");
    for (int i = from; i < to; i++) {
      row(h, matching.get(i), now);
    }
    h.raw("</tbody></table></div>");
    h.raw("<nav id=\"pager\" class=\"pager\" aria-label=\"Pages of flags\">");
    if (pageNumber > 1) {
      h.raw("<a rel=\"prev\"").attr("href", pageLink(q, pageNumber - 1)).raw(">Previous</a> ");
    }
    if (pages > 1) {
      h.raw("<span>").text("Page " + pageNumber + " of " + pages).raw("</span>");
    }
    if (pageNumber < pages) {
      h.raw(" <a rel=\"next\"").attr("href", pageLink(q, pageNumber + 1)).raw(">Next</a>");
    }
    h.raw("</nav>");
    // Every flag, for the script's search as you type: a data block, never executed.
    h.raw("<script type=\"application/json\" id=\"rows\">");
    h.raw(rowsJson(rows, now));
    h.raw("</script>");
    foot(h);
    return h.toString();
  }

  /** The rows the all-flags page shows at a time; the script shows more on request. */
  static final int PAGE_ROWS = 200;

  private String pageLink(Map<String, String> q, int page) {
    StringBuilder sb = new StringBuilder(base).append("/?");
    q.forEach(
        (k, v) -> {
          if (!k.equals("page") && !v.isEmpty()) {
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('&');
          }
        });
    return sb.append("page=").append(page).toString();
  }

  /**
   * Every row as a JSON array of arrays: key, description, owner, tags (space-separated), on
   * ({@code "1"}, {@code "0"}, {@code ""} when malformed), past kill date, malformed, state text,
   * state class, rollout, kill date, last change. {@code <} is written {@code \\u003c}, so the
   * block cannot end early.
   */
  private static String rowsJson(List<Row> rows, Instant now) {
    List<JsonValue> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(
          new JsonValue.Arr(
              List.of(
                  JsonValue.of(r.key()),
                  JsonValue.of(r.description()),
                  JsonValue.of(r.owner()),
                  JsonValue.of(String.join(" ", r.tags())),
                  JsonValue.of(r.malformed().isPresent() ? "" : r.on().orElse(false) ? "1" : "0"),
                  JsonValue.of(r.pastKillDate()),
                  JsonValue.of(r.malformed().isPresent()),
                  JsonValue.of(r.state()),
                  JsonValue.of(r.stateClass()),
                  JsonValue.of(r.rollout()),
                  JsonValue.of(r.killDateText()),
                  JsonValue.of(r.lastChangeText(now)))));
    }
    return FlagCodec.standard().write(new JsonValue.Arr(out)).replace("<", "\\u003c");
  }

  /** {@code 8 flags}, {@code 2 of 8 flags}, {@code 10000 flags, 1 to 200 shown}. */
  static String count(int matching, int total, int from, int to) {
    String n =
        matching == total
            ? total + (total == 1 ? " flag" : " flags")
            : matching + " of " + total + " flags";
    return to - from < matching ? n + ", " + (from + 1) + " to " + to + " shown" : n;
  }

  private void row(Html h, Row r, Instant now) {
    h.raw("<tr id=\"f-")
        .text(r.key())
        .raw("\" data-on=\"")
        .raw(r.malformed().isPresent() ? "" : r.on().orElse(false) ? "1" : "0")
        .raw("\"");
    if (!r.tags().isEmpty()) {
      h.attr("data-tags", String.join(" ", r.tags()));
    }
    h.flag("data-past", r.pastKillDate()).flag("data-bad", r.malformed().isPresent());
    h.raw("><td class=\"c-key\"><a href=\"");
    h.text(base).raw("/flags/").text(r.key()).raw("\">").text(r.key()).raw("</a>");
    if (!r.description().isEmpty()) {
      h.raw("<small>").text(r.description()).raw("</small>");
    }
    h.raw("</td><td class=\"c-state\"><span class=\"st ")
        .raw(r.stateClass())
        .raw("\">")
        .raw(r.state())
        .raw("</span></td><td class=\"c-rollout\">")
        .text(r.rollout())
        .raw("</td><td class=\"c-owner\">")
        .text(r.owner())
        .raw("</td><td class=\"c-kill")
        .raw(r.pastKillDate() ? " past" : "")
        .raw("\">")
        .text(r.killDateText())
        .raw("</td><td class=\"c-change\">")
        .text(r.lastChangeText(now))
        .raw("</td></tr>");
  }

  private static void select(Html h, String id, String label, Set<String> values, String chosen) {
    h.raw("<div class=\"field\"><label")
        .attr("for", id)
        .raw(">")
        .text(label)
        .raw("</label><select")
        .attr("id", id)
        .attr("name", id)
        .raw(">");
    option(h, "", "Any", chosen);
    for (String v : values) {
      option(h, v, v, chosen);
    }
    h.raw("</select></div>");
  }

  private static void option(Html h, String value, String label, String chosen) {
    h.raw("<option")
        .attr("value", value)
        .flag("selected", value.equals(chosen))
        .raw(">")
        .text(label)
        .raw("</option>");
  }

  // ---------------------------------------------------------------- one flag

  String flag(
      DashboardHandler.Viewer v, FlagRecord r, List<AuditEntry> history, Optional<Notice> notice) {
    Instant now = b.clock().instant();
    boolean canWrite = v.editor() && b.admin().readOnlyReason().isEmpty();
    Html h = new Html(16384);
    head(
        h,
        v,
        r.key(),
        "flag",
        " data-key=\"" + Html.escape(r.key()) + "\" data-version=\"" + r.version() + "\"");
    h.raw("<p class=\"crumbs\"><a")
        .attr("href", base + "/")
        .raw(">All flags</a> / <span>")
        .text(r.key())
        .raw("</span></p>");
    Row row = Row.of(r, now);
    h.raw("<h1>")
        .text(r.key())
        .raw(" <span id=\"state\" class=\"st ")
        .raw(row.stateClass())
        .raw("\">")
        .raw(row.state())
        .raw("</span></h1>");
    r.flag()
        .map(f -> f.metadata().description())
        .filter(d -> !d.isEmpty())
        .ifPresent(d -> h.raw("<p class=\"lead\">").text(d).raw("</p>"));
    h.raw("<p class=\"facts\">Version <span id=\"version\">").text(r.version()).raw("</span>");
    r.lastChange()
        .ifPresent(
            e ->
                h.raw(" · last changed by ")
                    .text(e.actor())
                    .raw(" <time")
                    .attr("datetime", e.time().toString())
                    .raw(">")
                    .text(Readable.ago(e.time(), now))
                    .raw("</time>"));
    h.raw("</p>");
    notice.ifPresent(n -> notice(h, n));
    h.raw("<div id=\"live-notice\" class=\"notice conflict\" role=\"status\" hidden></div>");
    if (r.killedByRawEdit()) {
      h.raw("<p class=\"notice conflict\">")
          .text(
              "This flag was turned off by a raw edit of the store (such as redis-cli SET …"
                  + " false), which replaced its whole definition. Its history keeps the"
                  + " definition from before: restore it below.")
          .raw("</p>");
    }
    if (!v.editor()) {
      h.raw("<p class=\"notice\">")
          .text("You can look at this flag; changing it needs the editor role.")
          .raw("</p>");
    } else if (b.admin().readOnlyReason().isPresent()) {
      h.raw("<p class=\"notice\">")
          .text("These flags cannot be changed here: " + b.admin().readOnlyReason().get())
          .raw("</p>");
    }
    if (r.isMalformed()) {
      h.raw(
              "<section aria-labelledby=\"h-bad\"><h2 id=\"h-bad\">The stored flag does not read</h2>")
          .raw("<p>")
          .text(
              r.problem().orElse("")
                  + ". Every service serves its own default for it until it is fixed: restore a"
                  + " version from the history below.")
          .raw("</p><pre class=\"stored\">")
          .text(r.storedValue())
          .raw("</pre></section>");
    } else {
      Flag f = r.flag().orElseThrow();
      stateSection(h, v, f, r, canWrite);
      rolloutSection(h, v, f, r, canWrite);
      f.guardedRollout().ifPresent(plan -> planSection(h, v, f, r, plan, canWrite, now));
      targetsSection(h, v, f, r, canWrite);
      rulesSection(h, f);
      variationsSection(h, f);
      detailsSection(h, v, f, r, canWrite);
    }
    historySection(h, v, r, history, canWrite, now);
    foot(h);
    return h.toString();
  }

  private void stateSection(
      Html h, DashboardHandler.Viewer v, Flag f, FlagRecord r, boolean canWrite) {
    h.raw("<section aria-labelledby=\"h-state\"><h2 id=\"h-state\">On or off</h2><p>");
    if (f.on()) {
      h.text("On: targets, rules and the rollout decide what each user gets.");
    } else {
      h.text("Off: everyone gets " + Readable.variation(f, f.offVariation()) + ".");
    }
    h.raw("</p>");
    if (canWrite) {
      form(h, v, r, "state");
      h.hidden("on", Boolean.toString(!f.on()));
      reason(h, "reason-state");
      h.raw("<button type=\"submit\" class=\"")
          .raw(f.on() ? "danger" : "primary")
          .raw("\">")
          .text(f.on() ? "Turn off…" : "Turn on…")
          .raw("</button></form>");
    }
    h.raw("</section>");
  }

  private void rolloutSection(
      Html h, DashboardHandler.Viewer v, Flag f, FlagRecord r, boolean canWrite) {
    h.raw("<section aria-labelledby=\"h-rollout\"><h2 id=\"h-rollout\">Rollout</h2><p>");
    Optional<Double> pct = AuditDiff.truePercentage(f);
    h.text("Everyone no target or rule picks gets " + Readable.serve(f, f.fallthrough()) + ".");
    if (f.fallthrough() instanceof Rollout ro) {
      h.text(
          " Users are placed by "
              + ro.bucketBy().map(x -> "their " + x).orElse("their key")
              + " ("
              + ro.algorithm().wireName()
              + "), so a ramp up only adds users and a ramp down only removes them.");
    }
    h.raw("</p>");
    if (canWrite && pct.isPresent()) {
      String current = AuditDiff.percent(pct.get()).replace("%", "");
      form(h, v, r, "rollout");
      h.raw("<div class=\"field slider\"><label for=\"percentage\">Share of users who get on (%)")
          .raw("</label><div class=\"slider-row\">")
          .raw("<input type=\"range\" id=\"percentage-range\" min=\"0\" max=\"100\" step=\"0.1\"")
          .attr("value", current)
          .raw(" aria-label=\"Share of users who get on, slider\" data-current=\"")
          .text(current)
          .raw("\" hidden>")
          .raw("<input type=\"number\" id=\"percentage\" name=\"percentage\" min=\"0\"")
          .raw(" max=\"100\" step=\"0.1\" inputmode=\"decimal\" required")
          .attr("value", current)
          .attr("data-current", current)
          .raw("></div>")
          .raw(
              "<output id=\"rollout-preview\" for=\"percentage\" class=\"preview\" aria-live=\"polite\">")
          .raw("</output></div>");
      if (!f.on()) {
        h.raw("<p class=\"hint\">")
            .text("The flag is off: the rollout applies once it is turned on.")
            .raw("</p>");
      }
      reason(h, "reason-rollout");
      h.raw("<button type=\"submit\" class=\"primary\">Review the change…</button></form>");
    }
    h.raw("</section>");
  }

  /**
   * The guarded rollout: the plan's steps with the current one marked, its guard, where it is, the
   * guard's last numbers and why it rolled back; Pause, Resume and Abort for editors, each through
   * a confirmation page naming the flag.
   */
  private void planSection(
      Html h,
      DashboardHandler.Viewer v,
      Flag f,
      FlagRecord r,
      GuardedRollout plan,
      boolean canWrite,
      Instant now) {
    h.raw("<section id=\"plan\" aria-labelledby=\"h-plan\"><h2 id=\"h-plan\">")
        .text("Guarded rollout")
        .raw("</h2>");
    Optional<RolloutPlans.Status> status = Optional.empty();
    String unknown = "";
    if (b.rollouts().isEmpty()) {
      unknown =
          "Where this plan is cannot be shown here: its state lives in Redis, with the controller"
              + " that runs it, and this dashboard has no Redis store.";
    } else {
      try {
        status = Optional.of(b.rollouts().get().status(r.key()));
      } catch (StoreUnavailableException e) {
        unknown = "Where this plan is cannot be read now: " + e.getMessage();
      }
    }
    String newValue = Readable.variation(f, plan.variation());
    String oldValue = Readable.variation(f, plan.baseline());
    int current =
        status.map(x -> Math.max(0, Math.min(x.step(), plan.steps().size() - 1))).orElse(0);
    if (status.isPresent()) {
      RolloutPlans.Status st = status.get();
      String state = planState(st.state());
      h.raw("<p id=\"plan-state\" class=\"plan-state ")
          .raw(st.state().wireName())
          .raw("\"><strong>")
          .text(state.substring(0, 1).toUpperCase(Locale.ROOT) + state.substring(1))
          .raw("</strong>");
      if (st.state() != RolloutPlans.State.PENDING) {
        h.text(
            " at step "
                + (current + 1)
                + " of "
                + plan.steps().size()
                + " ("
                + plan.steps().get(current).percent()
                + "%)");
        st.stepStartedAt()
            .ifPresent(
                t ->
                    h.text(", since ")
                        .raw("<time")
                        .attr("datetime", t.toString())
                        .raw(">")
                        .text(Readable.ago(t, now))
                        .raw("</time>"));
      }
      h.raw(".</p>");
    } else {
      h.raw("<p id=\"plan-state\" class=\"notice\">").text(unknown).raw("</p>");
    }
    String share =
        plan.percentServed(f).map(AuditDiff::percent).orElse("another share (the plan waits)");
    // The live updates carry a boolean flag's share of true: the share of the plan when it rolls
    // true out over false.
    boolean liveShare =
        f.isBoolean() && f.variations().get(plan.variation()).equals(JsonValue.TRUE);
    h.raw("<p>")
        .text("Everyone no target or rule picks: ")
        .raw("<span id=\"plan-percent\"")
        .raw(liveShare ? " data-live=\"true\"" : "")
        .raw(">")
        .text(share)
        .raw("</span>")
        .text(" get " + newValue + ", the rest " + oldValue + ".")
        .raw("</p>");
    h.raw("<ol class=\"plan-steps\" aria-label=\"Steps\">");
    for (int i = 0; i < plan.steps().size(); i++) {
      GuardedRollout.Step step = plan.steps().get(i);
      boolean here =
          status.isPresent() && i == current && status.get().state() != RolloutPlans.State.PENDING;
      h.raw("<li").raw(here ? " aria-current=\"step\" class=\"current\"" : "").raw(">");
      h.text(
          step.percent()
              + "% for at least "
              + hold(step.hold())
              + (step.minRequests() > 0
                  ? " and " + step.minRequests() + " requests of " + newValue
                  : ""));
      h.raw("</li>");
    }
    h.raw("</ol>");
    GuardedRollout.Guard g = plan.guard();
    StringBuilder guard =
        new StringBuilder("Rolls back when the error rate of ")
            .append(newValue)
            .append(" is significantly above that of ")
            .append(oldValue)
            .append(g.tolerance() > 0 ? " plus " + AuditDiff.percent(100 * g.tolerance()) : "")
            .append(" (false-alarm rate ")
            .append(AuditDiff.percent(100 * g.alpha()))
            .append(" over the plan, once each has ")
            .append(g.minSamples())
            .append(" outcomes)");
    g.latencyPercentile()
        .ifPresent(
            q ->
                guard
                    .append(", or its p")
                    .append(AuditDiff.percent(100 * q).replace("%", ""))
                    .append(" latency is above ")
                    .append(g.maxLatencyRatio().orElseThrow())
                    .append("× the other's"));
    guard.append(
        plan.onTrip() == GuardedRollout.OnTrip.TURN_OFF
            ? "; then the flag is turned off."
            : "; then everyone gets " + oldValue + " again.");
    h.raw("<p>").text(guard.toString()).raw("</p>");
    if (status.isPresent()) {
      RolloutPlans.Status st = status.get();
      st.lastVerdict()
          .ifPresent(
              x ->
                  h.raw("<p id=\"plan-verdict\">")
                      .text(
                          "The guard's last look ("
                              + Readable.ago(x.at(), now)
                              + "): "
                              + switch (x.outcome()) {
                                case "GREEN" -> "fine";
                                case "RED" -> "tripped";
                                default -> "waiting for enough outcomes";
                              }
                              + " — "
                              + x.detail()
                              + ".")
                      .raw("</p>"));
      if (!st.note().isEmpty()) {
        boolean rolledBack = st.state() == RolloutPlans.State.ROLLED_BACK;
        h.raw("<p id=\"plan-note\"")
            .raw(rolledBack ? " class=\"notice conflict\"" : "")
            .raw(">")
            .text((rolledBack ? "Why it rolled back: " : "Last: ") + st.note())
            .raw("</p>");
      }
      if (canWrite) {
        h.raw("<div class=\"plan-actions\">");
        for (RolloutPlans.Action action : RolloutPlans.Action.allowed(st.state())) {
          form(h, v, r, "plan-" + action.wireName());
          h.raw("<button type=\"submit\" id=\"plan-")
              .raw(action.wireName())
              .raw("\" class=\"")
              .raw(action == RolloutPlans.Action.ABORT ? "danger" : "primary")
              .raw("\">")
              .text(
                  switch (action) {
                    case PAUSE -> "Pause…";
                    case RESUME -> "Resume…";
                    case ABORT -> "Abort…";
                    case RESTART -> "Restart…";
                  })
              .raw("</button></form>");
        }
        h.raw("</div>");
      }
    }
    h.raw("</section>");
  }

  private static String hold(java.time.Duration d) {
    long s = d.toSeconds();
    return s % 3600 == 0 && s >= 3600
        ? (s / 3600) + " h"
        : s % 60 == 0 && s >= 60 ? (s / 60) + " min" : s + " s";
  }

  private void targetsSection(
      Html h, DashboardHandler.Viewer v, Flag f, FlagRecord r, boolean canWrite) {
    h.raw("<section aria-labelledby=\"h-targets\"><h2 id=\"h-targets\">Individual targets</h2>");
    h.raw("<p>")
        .text("Users listed here get their variation whatever the rules and the rollout say.")
        .raw("</p>");
    for (int i = 0; i < f.variations().size(); i++) {
      List<String> keys = new ArrayList<>();
      for (Target t : f.targets()) {
        if (t.variation() == i) {
          keys.addAll(t.keys());
        }
      }
      if (keys.isEmpty() && !canWrite) {
        continue;
      }
      String label = Readable.variation(f, i);
      String id = "t" + i;
      h.raw("<div class=\"targets\"><h3")
          .attr("id", "h-" + id)
          .raw(">")
          .text("Get " + label + " (" + keys.size() + ")")
          .raw("</h3>");
      if (canWrite) {
        form(h, v, r, "targets");
        h.hidden("variation", Integer.toString(i));
      }
      if (!keys.isEmpty()) {
        h.raw("<ul class=\"keys\"");
        h.attr("aria-labelledby", "h-" + id).raw(">");
        for (int k = 0; k < keys.size() && k < LISTED_TARGETS; k++) {
          String key = keys.get(k);
          h.raw("<li>");
          if (canWrite) {
            String box = id + "-" + k;
            h.raw("<input type=\"checkbox\" name=\"removeKey\"")
                .attr("id", box)
                .attr("value", key)
                .raw("><label")
                .attr("for", box)
                .raw(">")
                .text(key)
                .raw("<span class=\"visually-hidden\"> (tick to remove)</span></label>");
          } else {
            h.text(key);
          }
          h.raw("</li>");
        }
        h.raw("</ul>");
        if (keys.size() > LISTED_TARGETS) {
          h.raw("<p class=\"hint\">")
              .text(
                  "and "
                      + (keys.size() - LISTED_TARGETS)
                      + " more"
                      + (canWrite ? " (paste keys below to remove them)" : "")
                      + ".")
              .raw("</p>");
        }
      }
      if (canWrite) {
        h.raw("<div class=\"field\"><label")
            .attr("for", id + "-add")
            .raw(">")
            .text("Add users who get " + label + " (one key per line, or a pasted list)")
            .raw("</label><textarea rows=\"2\" name=\"add\"")
            .attr("id", id + "-add")
            .raw("></textarea></div>");
        h.raw("<div class=\"field\"><label")
            .attr("for", id + "-remove")
            .raw(">")
            .text("Remove users (one key per line, or a pasted list)")
            .raw("</label><textarea rows=\"1\" name=\"remove\"")
            .attr("id", id + "-remove")
            .raw("></textarea></div>");
        reason(h, id + "-reason");
        h.raw("<button type=\"submit\" class=\"primary\">")
            .text("Save targets of " + label)
            .raw("</button></form>");
      }
      h.raw("</div>");
    }
    h.raw("</section>");
  }

  private void rulesSection(Html h, Flag f) {
    h.raw("<section aria-labelledby=\"h-rules\"><h2 id=\"h-rules\">Rules</h2>");
    if (f.rules().isEmpty() && f.prerequisites().isEmpty()) {
      h.raw("<p>").text("No rules: everyone gets the rollout above.").raw("</p>");
    }
    if (!f.prerequisites().isEmpty()) {
      h.raw("<p>")
          .text(
              "First, each of these flags must serve what is listed, else everyone gets "
                  + Readable.variation(f, f.offVariation())
                  + ":")
          .raw("</p><ul>");
      for (Prerequisite p : f.prerequisites()) {
        h.raw("<li>").text(p.flagKey() + " serves variation " + p.variation()).raw("</li>");
      }
      h.raw("</ul>");
    }
    if (!f.rules().isEmpty()) {
      h.raw("<ol class=\"rules\">");
      for (Rule rule : f.rules()) {
        h.raw("<li><code>").text(Readable.rule(f, rule)).raw("</code>");
        if (!rule.id().isEmpty()) {
          h.raw(" <small>").text("(" + rule.id() + ")").raw("</small>");
        }
        h.raw("</li>");
      }
      h.raw("</ol><p class=\"hint\">")
          .text("The first rule that matches decides; rules are changed through the admin API.")
          .raw("</p>");
    }
    h.raw("</section>");
  }

  private void variationsSection(Html h, Flag f) {
    h.raw("<section aria-labelledby=\"h-variations\"><h2 id=\"h-variations\">Variations</h2>")
        .raw(
            "<table class=\"plain\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Value</th>")
        .raw("<th scope=\"col\">Served</th></tr></thead><tbody>");
    for (int i = 0; i < f.variations().size(); i++) {
      List<String> roles = new ArrayList<>();
      if (i == f.offVariation()) {
        roles.add("when off");
      }
      Serve ft = f.fallthrough();
      if (ft instanceof Serve.Variation sv && sv.index() == i) {
        roles.add("to everyone else");
      }
      if (ft instanceof Rollout ro) {
        for (Rollout.WeightedVariation w : ro.weights()) {
          if (w.variation() == i) {
            roles.add("to " + AuditDiff.percent(w.weight() / 1000.0) + " of everyone else");
          }
        }
      }
      h.raw("<tr><td>")
          .text(i)
          .raw("</td><td><code>")
          .text(Readable.json(f.variations().get(i)))
          .raw("</code></td><td>")
          .text(String.join(", ", roles))
          .raw("</td></tr>");
    }
    h.raw("</tbody></table></section>");
  }

  private void detailsSection(
      Html h, DashboardHandler.Viewer v, Flag f, FlagRecord r, boolean canWrite) {
    var m = f.metadata();
    h.raw("<section aria-labelledby=\"h-details\"><h2 id=\"h-details\">Details</h2>");
    if (!canWrite) {
      h.raw("<dl class=\"details\"><dt>Owner</dt><dd>")
          .text(m.owner().isEmpty() ? "—" : m.owner())
          .raw("</dd><dt>Tags</dt><dd>")
          .text(m.tags().isEmpty() ? "—" : String.join(", ", m.tags()))
          .raw("</dd><dt>Kill date</dt><dd>")
          .text(m.killDate().map(Readable::date).orElse("—"))
          .raw("</dd><dt>Created</dt><dd>")
          .text(m.createdAt().map(Readable::dateTime).orElse("—"))
          .raw("</dd></dl></section>");
      return;
    }
    form(h, v, r, "metadata");
    h.raw("<div class=\"field\"><label for=\"description\">Description</label>")
        .raw("<textarea id=\"description\" name=\"description\" rows=\"2\">")
        .text(m.description())
        .raw("</textarea></div>");
    h.raw("<div class=\"field\"><label for=\"owner\">Owner</label>")
        .raw("<input id=\"owner\" name=\"owner\" autocomplete=\"off\"")
        .attr("value", m.owner())
        .raw("></div>");
    h.raw("<div class=\"field\"><label for=\"tags\">Tags (separated by commas)</label>")
        .raw("<input id=\"tags\" name=\"tags\" autocomplete=\"off\"")
        .attr("value", String.join(", ", m.tags()))
        .raw("></div>");
    h.raw("<div class=\"field\"><label for=\"killDate\">Kill date (UTC; empty for none)</label>")
        .raw("<input type=\"date\" id=\"killDate\" name=\"killDate\"")
        .attr("value", m.killDate().map(Readable::date).orElse(""))
        .raw("></div>");
    reason(h, "reason-details");
    h.raw("<button type=\"submit\" class=\"primary\">Save details</button></form></section>");
  }

  private void historySection(
      Html h,
      DashboardHandler.Viewer v,
      FlagRecord r,
      List<AuditEntry> history,
      boolean canWrite,
      Instant now) {
    h.raw("<section aria-labelledby=\"h-history\"><h2 id=\"h-history\">History</h2>");
    if (history.isEmpty()) {
      h.raw("<p>").text("No recorded change.").raw("</p></section>");
      return;
    }
    h.raw("<ol class=\"history\">");
    for (AuditEntry e : history) {
      h.raw("<li><p class=\"who\"><strong>")
          .text(e.actor())
          .raw("</strong> ")
          .text(action(e))
          .raw(" version ")
          .text(e.version())
          .raw(" · <time")
          .attr("datetime", e.time().toString())
          .raw(">")
          .text(Readable.dateTime(e.time()) + " (" + Readable.ago(e.time(), now) + ")")
          .raw("</time></p>");
      if (!e.reason().isEmpty()) {
        h.raw("<p class=\"why\">Why: ").text(e.reason()).raw("</p>");
      }
      List<String> diff = AuditDiff.of(e);
      if (!diff.isEmpty()) {
        h.raw("<ul class=\"diff\">");
        for (String line : diff) {
          h.raw("<li>").text(line).raw("</li>");
        }
        h.raw("</ul>");
      }
      boolean current = e.version() == r.version() && e.after().isPresent();
      if (canWrite && e.after().isPresent() && !current) {
        form(h, v, r, "restore");
        h.hidden("entry", e.id());
        h.raw("<button type=\"submit\" class=\"secondary\">")
            .text("Restore this version…")
            .raw("<span class=\"visually-hidden\">")
            .text(" (version " + e.version() + ")")
            .raw("</span></button></form>");
      }
      if (canWrite && e.before().isPresent() && e.isRawEdit() && e.version() == r.version()) {
        form(h, v, r, "restore");
        h.hidden("restoreVersion", Long.toString(e.version() - 1));
        h.raw("<button type=\"submit\" class=\"secondary\">")
            .text("Restore the definition from before this edit…")
            .raw("</button></form>");
      }
      h.raw("</li>");
    }
    h.raw("</ol></section>");
  }

  private static String action(AuditEntry e) {
    return switch (e.action()) {
      case AuditEntry.ACTION_CREATE -> "created";
      case AuditEntry.ACTION_UPDATE -> "changed it to";
      case AuditEntry.ACTION_DELETE -> "deleted it at";
      case AuditEntry.ACTION_RESTORE -> "restored an earlier definition as";
      case AuditEntry.ACTION_RAW_EDIT -> "edited the store directly, making";
      case AuditEntry.ACTION_IMPORT -> "imported";
      case AuditEntry.ACTION_PLAN_PAUSE -> "paused the guarded rollout at";
      case AuditEntry.ACTION_PLAN_RESUME -> "resumed the guarded rollout at";
      case AuditEntry.ACTION_PLAN_ABORT -> "aborted the guarded rollout at";
      case AuditEntry.ACTION_PLAN_RESTART -> "restarted the guarded rollout at";
      default -> e.action() + ":";
    };
  }

  // ---------------------------------------------------------------- confirmation

  String confirm(DashboardHandler.Viewer v, FlagRecord r, String action, Form form) {
    Flag f = r.flag().orElseThrow(() -> new IllegalArgumentException("the flag does not read"));
    String where = environment();
    String title;
    List<String> lines = new ArrayList<>();
    String button;
    String buttonClass = "primary";
    switch (action) {
      case "state" -> {
        boolean on = form.text("on").equals("true");
        title = (on ? "Turn on " : "Turn off ") + r.key() + " " + where + "?";
        if (on) {
          lines.add(
              "Users will get what the targets, rules and rollout say: "
                  + Readable.serve(f, f.fallthrough())
                  + " for everyone no target or rule picks.");
        } else {
          lines.add(
              "Every user will get "
                  + Readable.variation(f, f.offVariation())
                  + ", whatever the targets, rules and rollout say.");
          buttonClass = "danger";
        }
        button = on ? "Turn on" : "Turn off";
      }
      case "rollout" -> {
        double to = Double.parseDouble(form.text("percentage").replace(',', '.').replace("%", ""));
        to = Math.round(to * 1000) / 1000.0;
        double from = AuditDiff.truePercentage(f).orElse(0.0);
        title =
            "Set the rollout of " + r.key() + " to " + AuditDiff.percent(to) + " " + where + "?";
        lines.add(rolloutChange(from, to));
        if (!f.on()) {
          lines.add("The flag is off: this applies once it is turned on.");
        }
        button = "Set to " + AuditDiff.percent(to);
      }
      case "restore" -> {
        title = "Restore an earlier version of " + r.key() + " " + where + "?";
        lines.add(
            "The flag gets back the definition written by the history entry you chose; the"
                + " change is recorded as a new version.");
        button = "Restore";
      }
      case "plan-pause" -> {
        title = "Pause the guarded rollout of " + r.key() + " " + where + "?";
        lines.add(
            "The plan stays at its step: nobody more gets the new variation until it is"
                + " resumed. Users who have it keep it.");
        button = "Pause";
      }
      case "plan-resume" -> {
        title = "Resume the guarded rollout of " + r.key() + " " + where + "?";
        lines.add(
            "The plan goes on: the next step comes once its hold time has passed and the guard"
                + " is green.");
        button = "Resume";
      }
      case "plan-abort" -> {
        title = "Abort the guarded rollout of " + r.key() + " " + where + "?";
        lines.add(
            "The plan stops for good and the flag stays as it is now: "
                + Readable.serve(f, f.fallthrough())
                + " for everyone no target or rule picks. Ramp or turn it off by hand after.");
        button = "Abort";
        buttonClass = "danger";
      }
      case "plan-restart" -> {
        title = "Restart the guarded rollout of " + r.key() + " " + where + "?";
        lines.add(
            "The plan starts again at the controller's next look: from the step the flag is at,"
                + " or from its first step when the flag is at none (after a rollback, 0%)."
                + (f.on() ? "" : " The flag is off: the plan waits until it is turned on."));
        button = "Restart";
      }
      default -> throw new IllegalArgumentException("nothing to confirm for " + action);
    }
    Html h = new Html();
    head(h, v, title, "confirm", "");
    h.raw("<h1>").text(title).raw("</h1>");
    for (String line : lines) {
      h.raw("<p class=\"lead\">").text(line).raw("</p>");
    }
    h.raw("<form method=\"post\" class=\"confirm\"")
        .attr("action", base + "/flags/" + r.key() + "/" + action)
        .raw(">");
    hiddenCommon(h, v, r);
    for (String field : List.of("on", "percentage", "entry", "restoreVersion")) {
      if (form.has(field)) {
        h.hidden(field, form.text(field));
      }
    }
    h.hidden("confirm", "yes");
    h.raw("<div class=\"field\"><label for=\"reason\">")
        .text(
            action.startsWith("plan-")
                ? "Why? (optional, kept in the plan's note and the history)"
                : "Why? (optional, kept in the history)")
        .raw("</label>")
        .raw("<input id=\"reason\" name=\"reason\" maxlength=\"4000\" autocomplete=\"off\"")
        .attr("value", form.text("reason"))
        .raw("></div>");
    h.raw("<div class=\"actions\"><button type=\"submit\" id=\"confirm\" class=\"")
        .raw(buttonClass)
        .raw("\">")
        .text(button)
        .raw("</button> <a class=\"button secondary\"")
        .attr("href", base + "/flags/" + r.key())
        .raw(">Cancel</a></div></form>");
    foot(h);
    return h.toString();
  }

  /**
   * What a ramp does: {@code Adds 15% of users (those between 10% and 25%): they start getting on.}
   */
  static String rolloutChange(double from, double to) {
    if (to > from) {
      return "Adds "
          + AuditDiff.percent(Math.round((to - from) * 1000) / 1000.0)
          + " of users (those placed between "
          + AuditDiff.percent(from)
          + " and "
          + AuditDiff.percent(to)
          + "): they start getting on. Everyone who has it keeps it.";
    }
    if (to < from) {
      return "Removes "
          + AuditDiff.percent(Math.round((from - to) * 1000) / 1000.0)
          + " of users (those placed between "
          + AuditDiff.percent(to)
          + " and "
          + AuditDiff.percent(from)
          + "): they go back to off. Nobody else changes.";
    }
    return "No user changes: the rollout is already " + AuditDiff.percent(to) + ".";
  }

  // ---------------------------------------------------------------- past kill date

  String pastKillDate(DashboardHandler.Viewer v, DashboardHandler.Listing listing) {
    Instant now = b.clock().instant();
    List<Row> rows = new ArrayList<>();
    for (Row row : listing.rows()) {
      if (row.killDate().filter(now::isAfter).isPresent()) {
        rows.add(row);
      }
    }
    rows.sort(Comparator.comparing((Row x) -> x.killDate().orElseThrow()).thenComparing(Row::key));
    Html h = new Html();
    head(h, v, "Past kill date", "past", "");
    h.raw("<h1>Past kill date</h1><p class=\"lead\">")
        .text(
            "Flags whose kill date has passed: remove them from the code, then delete them. They"
                + " still work until then. Oldest first.")
        .raw("</p>");
    if (rows.isEmpty()) {
      h.raw("<p>").text("No flag is past its kill date.").raw("</p>");
    } else {
      h.raw(
              "<div class=\"table-wrap\"><table class=\"flags\" id=\"past-flags\"><caption class=\"visually-hidden\">")
          .raw("Flags past their kill date, oldest first</caption><thead><tr>")
          .raw("<th scope=\"col\">Flag</th><th scope=\"col\">Kill date</th>")
          .raw("<th scope=\"col\">Owner</th><th scope=\"col\">State</th>")
          .raw("<th scope=\"col\">Last change</th></tr></thead><tbody>");
      for (Row r : rows) {
        h.raw("<tr><td><a")
            .attr("href", base + "/flags/" + r.key())
            .raw(">")
            .text(r.key())
            .raw("</a></td><td>")
            .text(r.killDateText() + " (" + Readable.past(r.killDate().orElseThrow(), now) + ")")
            .raw("</td><td>")
            .text(r.owner().isEmpty() ? "—" : r.owner())
            .raw("</td><td><span class=\"st ")
            .raw(r.stateClass())
            .raw("\">")
            .raw(r.state())
            .raw("</span></td><td>")
            .text(r.lastChangeText(now))
            .raw("</td></tr>");
      }
      h.raw("</tbody></table></div>");
    }
    foot(h);
    return h.toString();
  }

  // ---------------------------------------------------------------- status

  String status(DashboardHandler.Viewer v) {
    HealthReport health = b.health().get();
    Map<String, Object> d = health.details();
    Instant now = b.clock().instant();
    Html h = new Html();
    head(h, v, "Store status", "status", "");
    h.raw("<h1>Store status</h1>");
    h.raw("<p class=\"big\"><span id=\"store-status\" class=\"st ")
        .raw(statusClass(health.status()))
        .raw("\">")
        .text(statusWord(health.status()))
        .raw("</span></p>");
    String detail = String.valueOf(d.getOrDefault(HealthReport.DETAIL, ""));
    if (!detail.isEmpty()) {
      h.raw("<p>").text(detail).raw("</p>");
    }
    h.raw("<dl class=\"details\">");
    dt(h, "Store", String.valueOf(d.get(HealthReport.STORE)));
    dt(h, "Instance", b.settings().redis().instanceName());
    dt(
        h,
        "Last sync",
        b.lastSync()
            .get()
            .map(t -> Readable.dateTime(t) + " (" + Readable.ago(t, now) + ")")
            .orElse("—"));
    dt(h, "Flags served", String.valueOf(d.get(HealthReport.FLAGS)));
    dt(h, "Malformed flags", String.valueOf(d.get(HealthReport.MALFORMED)));
    dt(h, "Past kill date", String.valueOf(d.get(HealthReport.PAST_KILL_DATE)));
    dt(h, "Loaded", Boolean.TRUE.equals(d.get(HealthReport.INITIALIZED)) ? "yes" : "not yet");
    dt(
        h,
        "Changes",
        b.admin().readOnlyReason().map(r -> "read-only: " + r).orElse("can be made here"));
    h.raw("</dl>");
    foot(h);
    return h.toString();
  }

  private static void dt(Html h, String term, String value) {
    h.raw("<dt>").text(term).raw("</dt><dd>").text(value).raw("</dd>");
  }

  /** The status as people say it. */
  static String statusWord(String status) {
    return switch (status) {
      case "OK" -> "Connected";
      case "STALE" -> "Stale: serving the last known flags";
      case "UNAVAILABLE" -> "Unreachable";
      case "DATA_LOST" -> "Data lost: the store was emptied";
      case "INITIALIZING" -> "Connecting";
      default -> status;
    };
  }

  private static String statusClass(String status) {
    return switch (status) {
      case "OK" -> "on";
      case "INITIALIZING", "STALE" -> "warn";
      default -> "bad";
    };
  }

  private void storeBanner(Html h) {
    String status = b.health().get().status();
    h.raw("<p id=\"store-banner\" class=\"notice error\" role=\"status\"")
        .flag("hidden", status.equals("OK"))
        .raw(">")
        .text("Store: " + statusWord(status) + ".")
        .raw(" <a")
        .attr("href", base + "/status")
        .raw(">Store status</a></p>");
  }

  // ---------------------------------------------------------------- messages

  String message(DashboardHandler.@Nullable Viewer v, String title, String detail) {
    Html h = new Html();
    head(h, v, title, "message", "");
    h.raw("<h1>").text(title).raw("</h1><p class=\"lead\">").text(detail).raw("</p>");
    if (v != null) {
      h.raw("<p><a").attr("href", base + "/").raw(">All flags</a></p>");
    }
    foot(h);
    return h.toString();
  }

  // ---------------------------------------------------------------- frame

  private String environment() {
    return b.settings()
        .dashboard()
        .environment()
        .map(e -> "in " + e)
        .orElse("for every service reading " + b.storeDescription());
  }

  private void head(
      Html h,
      DashboardHandler.@Nullable Viewer v,
      String title,
      String page,
      String bodyAttributes) {
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>")
        .text(title + " · Flags")
        .raw("</title><link rel=\"stylesheet\"")
        .attr("href", base + "/assets/dashboard.css")
        .raw("><script defer")
        .attr("src", base + "/assets/dashboard.js")
        .raw("></script></head><body")
        .attr("data-base", base)
        .attr("data-page", page)
        .raw(bodyAttributes)
        .raw("><a class=\"skip\" href=\"#main\">Skip to the content</a>")
        .raw("<header class=\"top\"><p class=\"brand\"><a")
        .attr("href", base + "/")
        .raw(">Flags</a>");
    b.settings()
        .dashboard()
        .environment()
        .ifPresent(e -> h.raw(" <span class=\"env\">").text(e).raw("</span>"));
    h.raw("</p>");
    if (v != null) {
      h.raw("<nav aria-label=\"Dashboard\"><ul>");
      nav(h, "", "All flags", page.equals("all"));
      nav(h, "/past-kill-date", "Past kill date", page.equals("past"));
      nav(h, "/status", "Store status", page.equals("status"));
      h.raw("</ul></nav><p class=\"who\">")
          .text(v.name() + " · " + (v.editor() ? "editor" : "viewer"))
          .raw(" <span id=\"live\" class=\"live\" hidden>Live</span></p>");
    }
    h.raw("</header><main id=\"main\" tabindex=\"-1\">");
  }

  private void nav(Html h, String path, String label, boolean current) {
    h.raw("<li><a").attr("href", base + (path.isEmpty() ? "/" : path));
    if (current) {
      h.raw(" aria-current=\"page\"");
    }
    h.raw(">").text(label).raw("</a></li>");
  }

  private static void foot(Html h) {
    h.raw("</main></body></html>");
  }

  private void form(Html h, DashboardHandler.Viewer v, FlagRecord r, String action) {
    h.raw("<form method=\"post\"")
        .attr("action", base + "/flags/" + r.key() + "/" + action)
        .attr("class", "change " + action)
        .raw(">");
    hiddenCommon(h, v, r);
  }

  private static void hiddenCommon(Html h, DashboardHandler.Viewer v, FlagRecord r) {
    h.hidden(Dashboard.CSRF_FIELD, v.csrf());
    v.extra().ifPresent(x -> h.hidden(x.name(), x.value()));
    h.hidden("version", Long.toString(r.version()));
  }

  private static void reason(Html h, String id) {
    h.raw("<div class=\"field\"><label")
        .attr("for", id)
        .raw(">Why? (optional, kept in the history)</label><input name=\"reason\"")
        .attr("id", id)
        .raw(" maxlength=\"4000\" autocomplete=\"off\"></div>");
  }

  private static void notice(Html h, Notice n) {
    h.raw("<p id=\"notice\" class=\"notice ")
        .raw(n.kind())
        .raw("\"")
        .raw(n.kind().equals("saved") ? " role=\"status\"" : " role=\"alert\"")
        .raw(">")
        .text(n.text())
        .raw("</p>");
  }
}
