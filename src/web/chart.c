/*
 * chart.c — server-drawn SVG charts (chart.h). Coordinates are whole units
 * of a fixed viewBox 420 wide (text of 19 units reads at about 17 px on a
 * 375 px screen); the browser scales it to the column.
 */
#include "web/chart.h"

#include <math.h>
#include <stdio.h>

#include "util/err.h"
#include "web/html.h"

#define W 420
#define LEFT 56     /* room for the value axis labels (line chart) */
#define BAR_H 22
#define BAR_GAP 30  /* a label line above each bar */
#define PLOT_H 220  /* line chart */

/* A tidy top of scale: 100 for percentages, else 1, 2 or 5 x 10^k above max. */
static double scale_top(const chart_spec *c)
{
    if (c->percent)
        return 100;
    double max = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->pts[i].value > max)
            max = c->pts[i].value;
        if (c->second && c->second[i] > max)
            max = c->second[i];
    }
    if (max <= 0)
        return 1;
    double p = pow(10, floor(log10(max)));
    return max <= p ? p : max <= 2 * p ? 2 * p : max <= 5 * p ? 5 * p : 10 * p;
}

static void value_text(const chart_spec *c, double v, char *out, size_t n)
{
    if (v < 0)
        snprintf(out, n, "not applicable");
    else if (c->percent)
        snprintf(out, n, "%.1f%%", v);
    else if (v == floor(v))
        snprintf(out, n, "%.0f", v);
    else
        snprintf(out, n, "%.1f", v);
}

/* Axis ticks are round numbers: no decimals. */
static void tick_text(const chart_spec *c, double v, char *out, size_t n)
{
    snprintf(out, n, c->percent ? "%.0f%%" : "%.0f", v);
}

static int open_svg(buf *b, const chart_spec *c, int height)
{
    return html_fmt(b,
                    "<svg class=\"sendhub-chart\" role=\"img\" viewBox=\"0 0 %d %d\" "
                    "aria-labelledby=\"%s-title %s-desc\" focusable=\"false\" "
                    "xmlns=\"http://www.w3.org/2000/svg\">\n"
                    "<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n",
                    W, height, c->id, c->id, c->id, c->title, c->id, c->desc);
}

int chart_bars(buf *b, const chart_spec *c)
{
    if (c->n > CHART_POINTS_MAX)
        return SH_EINVAL;
    double top = scale_top(c);
    int plot_w = W - 80; /* room for the value after the bar */
    int height = (int)c->n * (BAR_H + BAR_GAP) + 56;
    char v[32], t[32];
    int rc = open_svg(b, c, height);
    if (rc == SH_OK)
        rc = html_fmt(b, "<text class=\"sendhub-chart__axis-label\" x=\"0\" y=\"14\">%s</text>\n",
                      c->x_label);
    for (size_t i = 0; rc == SH_OK && i < c->n; i++) {
        int y = 24 + (int)i * (BAR_H + BAR_GAP);
        double val = c->pts[i].value;
        int w = val > 0 ? (int)lround(val / top * plot_w) : 0;
        value_text(c, val, v, sizeof v);
        rc = html_fmt(b,
                      "<text class=\"sendhub-chart__label\" x=\"0\" y=\"%d\">%s</text>\n"
                      "<rect class=\"sendhub-chart__bar\" x=\"0\" y=\"%d\" width=\"%d\" "
                      "height=\"%d\"/>\n"
                      "<text class=\"sendhub-chart__value\" x=\"%d\" y=\"%d\">%s</text>\n",
                      y + 16, c->pts[i].label, y + 22, w, BAR_H, w + 6, y + 22 + 16, v);
    }
    int axis_y = 24 + (int)c->n * (BAR_H + BAR_GAP) + 4;
    tick_text(c, top, t, sizeof t);
    if (rc == SH_OK)
        rc = html_fmt(b,
                      "<line class=\"sendhub-chart__axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" "
                      "y2=\"%d\"/>\n"
                      "<text class=\"sendhub-chart__tick\" x=\"0\" y=\"%d\">0</text>\n"
                      "<text class=\"sendhub-chart__tick\" x=\"%d\" y=\"%d\" "
                      "text-anchor=\"end\">%s</text>\n"
                      "<text class=\"sendhub-chart__axis-label\" x=\"%d\" y=\"%d\" "
                      "text-anchor=\"middle\">%s</text>\n</svg>\n",
                      axis_y, plot_w, axis_y, axis_y + 16, plot_w, axis_y + 16, t, plot_w / 2,
                      axis_y + 16, c->y_label);
    return rc;
}

/* One series as a polyline: pts' values, or else `values` (< 0 skipped). */
static int polyline(buf *b, const chart_spec *c, const chart_point *pts, const double *values,
                    const char *cls, double top, int plot_w, int base)
{
    int rc = html_fmt(b, "<polyline class=\"%s\" points=\"", cls);
    size_t step = c->n > 1 ? c->n - 1 : 1;
    for (size_t i = 0; rc == SH_OK && i < c->n; i++) {
        double v = pts ? pts[i].value : values[i];
        if (v < 0)
            continue;
        int x = LEFT + (int)(i * (size_t)plot_w / step);
        rc = buf_printf(b, "%d,%d ", x, base - (int)lround(v / top * PLOT_H));
    }
    return rc ? rc : html_fmt(b, "\"/>\n");
}

/* The two series' names under the x axis label, each after a short
 * stroke of its line. */
static int legend(buf *b, const chart_spec *c, int y)
{
    return html_fmt(b,
                    "<line class=\"sendhub-chart__line\" x1=\"0\" y1=\"%d\" x2=\"28\" "
                    "y2=\"%d\"/>\n<text class=\"sendhub-chart__tick\" x=\"34\" y=\"%d\">%s"
                    "</text>\n<line class=\"sendhub-chart__line sendhub-chart__line--second\" "
                    "x1=\"0\" y1=\"%d\" x2=\"28\" y2=\"%d\"/>\n"
                    "<text class=\"sendhub-chart__tick\" x=\"34\" y=\"%d\">%s</text>\n",
                    y - 5, y - 5, y, c->first_name, y + 19, y + 19, y + 24, c->second_name);
}

int chart_line(buf *b, const chart_spec *c)
{
    if (c->n > CHART_POINTS_MAX)
        return SH_EINVAL;
    double top = scale_top(c);
    int plot_w = W - LEFT - 10, base = 24 + PLOT_H;
    char t[32], v[32];
    int rc = open_svg(b, c, base + (c->second ? 110 : 56));
    /* the value axis: 0, half and top */
    for (int k = 0; rc == SH_OK && k <= 2; k++) {
        int y = base - k * PLOT_H / 2;
        tick_text(c, top * k / 2, t, sizeof t);
        rc = html_fmt(b,
                      "<line class=\"sendhub-chart__grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                      "y2=\"%d\"/>\n<text class=\"sendhub-chart__tick\" x=\"%d\" y=\"%d\" "
                      "text-anchor=\"end\">%s</text>\n",
                      LEFT, y, W - 10, y, LEFT - 6, y + 5, t);
    }
    if (rc == SH_OK)
        rc = html_fmt(b, "<text class=\"sendhub-chart__axis-label\" x=\"0\" y=\"14\">%s</text>\n",
                      c->y_label);
    if (rc == SH_OK && c->second)
        rc = polyline(b, c, NULL, c->second, "sendhub-chart__line sendhub-chart__line--second",
                      top, plot_w, base);
    if (rc == SH_OK)
        rc = polyline(b, c, c->pts, NULL, "sendhub-chart__line", top, plot_w, base);
    size_t step = c->n > 1 ? c->n - 1 : 1;
    for (size_t i = 0; rc == SH_OK && i < c->n; i++) {
        int x = LEFT + (int)(i * (size_t)plot_w / step);
        if (c->pts[i].value >= 0) {
            value_text(c, c->pts[i].value, v, sizeof v);
            rc = html_fmt(b,
                          "<circle class=\"sendhub-chart__point\" cx=\"%d\" cy=\"%d\" r=\"4\">"
                          "<title>%s: %s</title></circle>\n",
                          x, base - (int)lround(c->pts[i].value / top * PLOT_H),
                          c->pts[i].label, v);
        }
        /* label the last point and every eighth before it: room for "Nov
         * 2026" at 375 px; the last is anchored at its end to stay inside */
        if (rc == SH_OK && (c->n - 1 - i) % 8 == 0)
            rc = html_fmt(b,
                          "<text class=\"sendhub-chart__tick\" x=\"%d\" y=\"%d\" "
                          "text-anchor=\"%s\">%s</text>\n",
                          x, base + 18, i + 1 == c->n ? "end" : "middle", c->pts[i].label);
    }
    if (rc == SH_OK && c->second)
        rc = legend(b, c, base + 70);
    if (rc == SH_OK)
        rc = html_fmt(b,
                      "<text class=\"sendhub-chart__axis-label\" x=\"%d\" y=\"%d\" "
                      "text-anchor=\"middle\">%s</text>\n</svg>\n",
                      LEFT + plot_w / 2, base + 44, c->x_label);
    return rc;
}
