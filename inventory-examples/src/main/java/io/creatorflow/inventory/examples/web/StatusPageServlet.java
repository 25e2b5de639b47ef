package io.creatorflow.inventory.examples.web;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.InventoryException;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.sync.SyncStats;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page at {@code /}: stock levels (low and out-of-stock rows highlighted, filter, search,
 * paging), open alerts with a resolve button, the latest alert notifications, recent movements, and
 * sync and health status. Rendered on the server from the same engine the REST API uses; every value
 * is HTML-escaped. No external assets and no build step: the CSS and the small script (auto-refresh,
 * resolve through the REST API) are inline, and a Content-Security-Policy allows nothing else.
 *
 * <p>Query parameters: {@code status} ({@code in_stock}, {@code low_stock}, {@code out_of_stock}),
 * {@code search}, {@code page}. Any other path than {@code /} answers 404. Thread-safe.
 */
public final class StatusPageServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(StatusPageServlet.class);

  /** Rows of the stock table per page. */
  public static final int PAGE_SIZE = 50;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final transient ServiceState state;
  private final transient Clock clock;

  /**
   * @param state what the page shows
   * @param clock for the "rendered at" line
   */
  public StatusPageServlet(ServiceState state, Clock clock) {
    this.state = Objects.requireNonNull(state, "state");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Other methods get 405, after the body is read ({@link Http#skipBodyUnless}). */
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
    Http.skipBodyUnless(req, "GET", "HEAD");
    super.service(req, resp);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI().substring(req.getContextPath().length());
    if (!path.equals("/") && !path.isEmpty()) {
      resp.setStatus(404);
      resp.setContentType("text/plain;charset=utf-8");
      resp.getWriter().write("Not found. The status page is at /, the REST API under /api/.\n");
      return;
    }
    StockStatus filter = null;
    String status = req.getParameter("status");
    if (status != null) {
      for (StockStatus s : StockStatus.values()) {
        if (s.name().equalsIgnoreCase(status)) {
          filter = s;
        }
      }
    }
    String search = req.getParameter("search");
    if (search != null && (search.isBlank() || search.length() > CatalogQuery.MAX_TEXT_LENGTH)) {
      search = null;
    }
    int page = 1;
    try {
      page = Math.max(1, Math.min(100_000, Integer.parseInt(String.valueOf(req.getParameter("page")))));
    } catch (NumberFormatException e) {
      page = 1;
    }
    String nonce = nonce();
    String html;
    try {
      html = render(filter, search, page, nonce);
    } catch (InventoryException | IllegalStateException e) {
      LOG.warn("status page failed: {}", e.toString());
      resp.setStatus(503);
      html = "<!doctype html><meta charset=utf-8><title>Inventory unavailable</title><p>The inventory is unavailable: "
          + Html.esc(String.valueOf(e.getMessage())) + "</p>";
    }
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    resp.setContentType("text/html;charset=utf-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-"
        + nonce + "'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  private static String nonce() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private String render(@Nullable StockStatus filter, @Nullable String search, int pageNumber, String nonce) {
    TenantId tenant = state.tenant();
    InventoryEngine engine = state.engine();
    long defaultThreshold = engine.alertRule().defaultThreshold();
    HealthReport health = state.health();
    long total = engine.find(tenant, CatalogQuery.all().withPage(PageRequest.first(1))).total();
    long low = engine.find(tenant, CatalogQuery.all().withStatus(StockStatus.LOW_STOCK).withPage(PageRequest.first(1))).total();
    long out = engine.find(tenant, CatalogQuery.all().withStatus(StockStatus.OUT_OF_STOCK).withPage(PageRequest.first(1)))
        .total();
    List<Alert> alerts = engine.openAlerts(tenant);
    long offset = Math.min((long) (pageNumber - 1) * PAGE_SIZE, PageRequest.MAX_OFFSET);
    Page<ItemStock> stock = engine.find(tenant, new CatalogQuery(filter, search, PageRequest.of((int) offset, PAGE_SIZE)));
    long lastPage = Math.max(1, (stock.total() + PAGE_SIZE - 1) / PAGE_SIZE);
    if (pageNumber > lastPage) {
      pageNumber = (int) lastPage;
      stock = engine.find(tenant, new CatalogQuery(filter, search, PageRequest.of((pageNumber - 1) * PAGE_SIZE, PAGE_SIZE)));
    }
    Page<Movement> movements = engine.history(tenant, HistoryQuery.all().withPage(PageRequest.first(25)));
    SyncStats sync = state.syncStats();

    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Inventory · ").append(Html.esc(tenant.value())).append("</title>\n<style>").append(CSS)
        .append("</style></head>\n<body>\n<header><h1>Inventory</h1><span class=\"badge ")
        .append(health.isUp() ? "up" : "down").append("\">").append(health.isUp() ? "healthy" : "degraded")
        .append("</span><span class=\"muted\">tenant <b>").append(Html.esc(tenant.value()))
        .append("</b> · rendered ").append(TIME.format(clock.instant()))
        .append("</span><label class=\"auto\"><input type=\"checkbox\" id=\"auto\" checked> refresh every 5 s</label>")
        .append("</header>\n");

    h.append("<section class=\"cards\">")
        .append(card("SKUs", total, "/", ""))
        .append(card("Low stock", low, "/?status=low_stock", low > 0 ? "low" : ""))
        .append(card("Out of stock", out, "/?status=out_of_stock", out > 0 ? "out" : ""))
        .append(card("Open alerts", alerts.size(), "#alerts", alerts.isEmpty() ? "" : "low"))
        .append(card("Pushes to shop", sync.pushesAccepted(), "#sync", ""))
        .append("</section>\n<main>\n");

    // Stock table
    h.append("<section class=\"stock\"><h2>Stock</h2><nav class=\"filters\">");
    h.append(filterLink("All", null, filter, search)).append(filterLink("In stock", StockStatus.IN_STOCK, filter, search))
        .append(filterLink("Low stock", StockStatus.LOW_STOCK, filter, search))
        .append(filterLink("Out of stock", StockStatus.OUT_OF_STOCK, filter, search));
    h.append("<form method=\"get\" action=\"/\">");
    if (filter != null) {
      h.append("<input type=\"hidden\" name=\"status\" value=\"").append(Html.esc(lower(filter))).append("\">");
    }
    h.append("<input type=\"search\" name=\"search\" placeholder=\"search name or SKU\" maxlength=\"200\" value=\"")
        .append(Html.esc(search == null ? "" : search)).append("\"><button>Search</button></form></nav>");
    h.append("<table><thead><tr><th>SKU</th><th>Name</th><th class=\"n\">On hand</th><th class=\"n\">Reserved</th>")
        .append("<th class=\"n\">Available</th><th class=\"n\">Threshold</th><th>Status</th></tr></thead><tbody>");
    if (stock.items().isEmpty()) {
      h.append("<tr><td colspan=\"7\" class=\"muted\">No SKUs match.</td></tr>");
    }
    for (ItemStock row : stock.items()) {
      String cls = row.status() == StockStatus.OUT_OF_STOCK ? "out" : row.status() == StockStatus.LOW_STOCK ? "low" : "";
      h.append("<tr class=\"").append(cls).append("\"><td class=\"mono\">").append(Html.esc(row.item().sku().value()))
          .append("</td><td>").append(Html.esc(row.item().name())).append("</td><td class=\"n\">")
          .append(row.level().onHand()).append("</td><td class=\"n\">").append(row.level().reserved())
          .append("</td><td class=\"n\"><b>").append(row.level().available()).append("</b></td><td class=\"n\">")
          .append(row.item().effectiveThreshold(defaultThreshold)).append("</td><td><span class=\"pill ").append(cls)
          .append("\">").append(Html.esc(label(row.status()))).append("</span></td></tr>");
    }
    long pages = Math.max(1, (stock.total() + PAGE_SIZE - 1) / PAGE_SIZE);
    h.append("</tbody></table><nav class=\"pager\">");
    if (pageNumber > 1) {
      h.append("<a href=\"").append(Html.esc(query(filter, search, pageNumber - 1))).append("\">&larr; previous</a>");
    }
    h.append("<span class=\"muted\">page ").append(pageNumber).append(" of ").append(pages).append(" · ")
        .append(stock.total()).append(" matching</span>");
    if (pageNumber < pages) {
      h.append("<a href=\"").append(Html.esc(query(filter, search, pageNumber + 1))).append("\">next &rarr;</a>");
    }
    h.append("</nav></section>\n<aside>\n");

    // Alerts
    h.append("<section id=\"alerts\"><h2>Open alerts</h2>");
    if (alerts.isEmpty()) {
      h.append("<p class=\"muted\">None.</p>");
    } else {
      h.append("<table><thead><tr><th>SKU</th><th>Kind</th><th class=\"n\">Available</th><th>Opened</th><th></th></tr>")
          .append("</thead><tbody>");
      for (Alert a : alerts) {
        String cls = a.kind().name().equals("OUT_OF_STOCK") ? "out" : "low";
        h.append("<tr class=\"").append(cls).append("\"><td class=\"mono\">").append(Html.esc(a.sku().value()))
            .append("</td><td>").append(Html.esc(lower(a.kind()))).append("</td><td class=\"n\">")
            .append(a.availableAtOpen()).append("</td><td>").append(TIME.format(a.openedAt()))
            .append("</td><td><button class=\"resolve\" data-alert-id=\"").append(a.id()).append("\">Resolve</button></td></tr>");
      }
      h.append("</tbody></table>");
    }
    h.append("<h3>Latest notifications</h3><ul class=\"feed\">");
    List<RecentAlerts.Entry> recent = state.recentAlerts();
    if (recent.isEmpty()) {
      h.append("<li class=\"muted\">None since start.</li>");
    }
    for (RecentAlerts.Entry e : recent.subList(0, Math.min(15, recent.size()))) {
      Alert a = e.event().alert();
      h.append("<li><span class=\"muted\">").append(TIME.format(e.receivedAt())).append("</span> ")
          .append(e.event().type() == AlertEventType.OPENED ? "&#9888; " : "&#10003; ")
          .append(Html.esc(lower(a.kind()))).append(" ").append(Html.esc(lower(e.event().type()))).append(" for <span class=\"mono\">")
          .append(Html.esc(a.sku().value())).append("</span></li>");
    }
    h.append("</ul></section>\n");

    // Sync and health
    h.append("<section id=\"sync\"><h2>Sync and health</h2><table><tbody>");
    health.components().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(c -> h.append("<tr><th>")
        .append(Html.esc(c.getKey())).append("</th><td><span class=\"badge ").append(c.getValue().status() == HealthReport.Status.UP ? "up" : "down")
        .append("\">").append(Html.esc(lower(c.getValue().status()))).append("</span> <span class=\"muted small\">")
        .append(Html.esc(c.getValue().detail() == null ? "" : c.getValue().detail())).append("</span></td></tr>"));
    h.append("</tbody></table><dl>");
    for (Map.Entry<String, String> fact : state.facts().entrySet()) {
      h.append("<dt>").append(Html.esc(fact.getKey())).append("</dt><dd>").append(Html.esc(fact.getValue())).append("</dd>");
    }
    h.append("<dt>Pushes</dt><dd>").append(sync.pushesAccepted()).append(" accepted, ").append(sync.pushesFailed())
        .append(" failed, ").append(sync.pushesSkipped()).append(" unchanged; queue ").append(sync.queueDepth())
        .append("</dd><dt>Webhooks</dt><dd>").append(Html.esc(counts(sync.webhooks()))).append("</dd><dt>Orders</dt><dd>")
        .append(Html.esc(counts(sync.orders()))).append("</dd><dt>Last reconcile</dt><dd>")
        .append(sync.lastReconcile() == null ? "not yet" : TIME.format(sync.lastReconcile().finishedAt()) + ", "
            + sync.lastReconcile().checked() + " checked, " + sync.lastReconcile().drifts().size() + " drifts")
        .append("</dd></dl></section>\n</aside>\n");

    // Movements
    h.append("<section class=\"movements\"><h2>Recent movements</h2><table><thead><tr><th>#</th><th>Time</th><th>SKU</th>")
        .append("<th>Type</th><th class=\"n\">Qty</th><th class=\"n\">On hand</th><th class=\"n\">Reserved</th>")
        .append("<th>Reason / reference</th><th>Actor</th></tr></thead><tbody>");
    if (movements.items().isEmpty()) {
      h.append("<tr><td colspan=\"9\" class=\"muted\">No movements yet.</td></tr>");
    }
    for (Movement m : movements.items()) {
      String why = m.reason() == null ? "" : m.reason();
      if (m.reference() != null) {
        why = why.isEmpty() ? m.reference() : why + " (" + m.reference() + ")";
      }
      h.append("<tr><td class=\"n\">").append(m.id()).append("</td><td>").append(TIME.format(m.occurredAt()))
          .append("</td><td class=\"mono\">").append(Html.esc(m.sku().value())).append("</td><td>")
          .append(Html.esc(lower(m.type()))).append("</td><td class=\"n\">").append(m.quantity())
          .append("</td><td class=\"n\">").append(m.onHandBefore()).append(" &rarr; ").append(m.onHandAfter())
          .append("</td><td class=\"n\">").append(m.reservedBefore()).append(" &rarr; ").append(m.reservedAfter())
          .append("</td><td>").append(Html.esc(why)).append("</td><td>").append(Html.esc(m.actor() == null ? "" : m.actor()))
          .append("</td></tr>");
    }
    h.append("</tbody></table><p class=\"muted small\">JSON: <a href=\"/api/inventory/products\">products</a> · ")
        .append("<a href=\"/api/inventory/movements\">movements</a> · <a href=\"/api/inventory/alerts\">alerts</a> · ")
        .append("<a href=\"/api/inventory/sync\">sync</a> · <a href=\"/api/health/inventory\">health</a></p></section>\n");
    h.append("</main>\n<script nonce=\"").append(nonce).append("\">").append(SCRIPT).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static String card(String title, long value, String href, String cls) {
    return "<a class=\"card " + cls + "\" href=\"" + Html.esc(href) + "\"><span>" + Html.esc(title) + "</span><b>" + value
        + "</b></a>";
  }

  private static String filterLink(String text, @Nullable StockStatus status, @Nullable StockStatus current,
      @Nullable String search) {
    return "<a class=\"" + (status == current ? "on" : "") + "\" href=\"" + Html.esc(query(status, search, 1)) + "\">"
        + Html.esc(text) + "</a>";
  }

  private static String query(@Nullable StockStatus status, @Nullable String search, int page) {
    StringBuilder q = new StringBuilder("/?");
    if (status != null) {
      q.append("status=").append(lower(status)).append('&');
    }
    if (search != null) {
      q.append("search=").append(URLEncoder.encode(search, StandardCharsets.UTF_8)).append('&');
    }
    q.append("page=").append(page);
    return q.toString();
  }

  private static String label(StockStatus s) {
    return switch (s) {
      case IN_STOCK -> "in stock";
      case LOW_STOCK -> "low";
      case OUT_OF_STOCK -> "out";
    };
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String counts(Map<? extends Enum<?>, Long> counts) {
    if (counts.isEmpty()) {
      return "none yet";
    }
    StringBuilder s = new StringBuilder();
    counts.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> a.name().compareTo(b.name()))).forEach(e -> {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(lower(e.getKey())).append(' ').append(e.getValue());
    });
    return s.toString();
  }

  private static final String CSS = """
      :root{--bg:#f6f7f9;--fg:#1d2330;--muted:#6b7280;--line:#e3e6eb;--low:#fff4d6;--lowfg:#8a5a00;--out:#fde2e1;\
      --outfg:#a3231c;--up:#dcfce7;--upfg:#166534}
      *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;\
      background:var(--bg);color:var(--fg)}
      header{display:flex;gap:12px;align-items:center;flex-wrap:wrap;padding:14px 20px;background:#fff;\
      border-bottom:1px solid var(--line)}
      h1{font-size:20px;margin:0}h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:16px 0 6px}
      .muted{color:var(--muted)}.small{font-size:12px}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
      .auto{margin-left:auto;color:var(--muted)}
      .badge{padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600}.badge.up{background:var(--up);\
      color:var(--upfg)}.badge.down{background:var(--out);color:var(--outfg)}
      .cards{display:flex;gap:12px;flex-wrap:wrap;padding:16px 20px 0}
      .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:130px;\
      text-decoration:none;color:inherit;display:flex;flex-direction:column}.card b{font-size:22px}
      .card.low{background:var(--low)}.card.out{background:var(--out)}
      main{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:16px;padding:16px 20px}
      main>section,aside>section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px;margin-bottom:16px}
      .movements{grid-column:1/-1}
      @media(max-width:1000px){main{grid-template-columns:1fr}}
      table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:5px 6px;border-bottom:1px solid var(--line);\
      vertical-align:top}th{font-size:12px;color:var(--muted);font-weight:600}.n{text-align:right;white-space:nowrap}
      tr.low td{background:var(--low)}tr.out td{background:var(--out)}
      .pill{padding:1px 8px;border-radius:9px;font-size:12px;background:var(--up);color:var(--upfg)}
      .pill.low{background:#fde7a8;color:var(--lowfg)}.pill.out{background:#f9c0bd;color:var(--outfg)}
      .filters{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-bottom:10px}
      .filters a{padding:3px 10px;border-radius:12px;border:1px solid var(--line);text-decoration:none;color:inherit}
      .filters a.on{background:var(--fg);color:#fff}.filters form{margin-left:auto;display:flex;gap:6px}
      input[type=search]{padding:4px 8px;border:1px solid var(--line);border-radius:6px;min-width:200px}
      button{padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
      .pager{display:flex;gap:14px;margin-top:10px;align-items:center}
      .feed{list-style:none;padding:0;margin:0}.feed li{padding:3px 0;border-bottom:1px dashed var(--line)}
      dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:12px 0 0}dt{color:var(--muted)}dd{margin:0}
      """;

  private static final String SCRIPT = """
      (function(){
        var box=document.getElementById('auto');
        box.checked=localStorage.getItem('inventory.autoRefresh')!=='off';
        box.addEventListener('change',function(){localStorage.setItem('inventory.autoRefresh',box.checked?'on':'off');});
        setInterval(function(){if(box.checked&&!document.hidden){location.reload();}},5000);
        document.querySelectorAll('button.resolve').forEach(function(b){
          b.addEventListener('click',function(){
            b.disabled=true;
            fetch('/api/inventory/alerts/'+encodeURIComponent(b.dataset.alertId)+'/resolve',
              {method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({actor:'status-page'})})
              .then(function(r){if(!r.ok){return r.json().then(function(e){alert(e.message);});}})
              .finally(function(){location.reload();});
          });
        });
      })();
      """;
}
