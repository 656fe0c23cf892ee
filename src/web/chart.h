/*
 * chart.h — accessible SVG charts drawn on the server (issue 6): a
 * horizontal bar chart and a line chart, no script.
 *
 * Each chart is an <svg role="img"> labelled by its <title> and <desc>
 * (aria-labelledby), with labelled axes; its numbers are also in the data
 * table the page puts beside it (the accessible alternative), so the chart
 * itself can stay a picture. Written with html_fmt, so every label is
 * escaped. The viewBox scales to the column's width (CSS class
 * sendhub-chart), so a chart stays readable at 375 px: bars are horizontal
 * (labels on their own line above each bar) and a line chart labels only a
 * few points of its x axis.
 *
 * A value < 0 means "not applicable" (a rate with nothing to count): no bar
 * or point is drawn and the bar's label says so.
 *
 * A line chart may carry a second series on the same x axis (an
 * improvement plan measure's line towards its target): drawn dashed in
 * another colour, without points, and named with the first in a legend.
 */
#ifndef SH_WEB_CHART_H
#define SH_WEB_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define CHART_POINTS_MAX 60

typedef struct {
    const char *label; /* "2025", "Mar 2025", "Autism" */
    double value;      /* < 0: not applicable */
} chart_point;

typedef struct {
    const char *id;      /* unique in the page: ids "<id>-title", "<id>-desc" */
    const char *title;   /* what is shown ("Plans issued within 20 weeks") */
    const char *desc;    /* one sentence: what the axes are and where the data table is */
    const char *x_label; /* the category axis ("Calendar year") */
    const char *y_label; /* the value axis ("Percent of plans") */
    bool percent;        /* values are percentages: the scale is 0-100 and labels end in % */
    const chart_point *pts;
    size_t n;            /* at most CHART_POINTS_MAX (more: SH_EINVAL) */
    /* line charts only: a second series of n values (pts' labels), NULL
     * none; with the legend's names of both series */
    const double *second;
    const char *first_name, *second_name;
} chart_spec;

int chart_bars(buf *b, const chart_spec *c);
int chart_line(buf *b, const chart_spec *c);

#endif
