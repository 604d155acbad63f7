#!/usr/bin/env python3
"""Times Tornado's own template engine on the bigtable page.

The workload of Tornado's maint/benchmark/template_benchmark.py: the page in
bigtable.tornado.html (next to this script), compiled once as an in-memory
Template (named "<string>", so whitespace mode "all", autoescape on), rendered
with page_title and a table of 1000 dicts {a: 1, ..., j: 10}.

    python3 tornado_bigtable.py -num 100 -repeat 3

Prints one line the bench driver reads, the median of -repeat timings of -num
renders each:

    tornado=6.2 renders=100 repeat=3 bytes=343471 ns_per_op=7412345
"""

import argparse
import os
import statistics
import timeit

import tornado
from tornado.template import Template


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-num", type=int, default=100, help="renders per timing")
    parser.add_argument("-repeat", type=int, default=3, help="timings; the median is printed")
    parser.add_argument("-dump", action="store_true", help="print the rendered page and exit")
    args = parser.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "bigtable.tornado.html"), encoding="utf-8") as f:
        tmpl = Template(f.read())
    context = {
        "page_title": "mitsuhiko's benchmark",
        "table": [dict(a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10)
                  for _ in range(1000)],
    }

    page = tmpl.generate(**context)
    if args.dump:
        os.write(1, page)
        return
    timings = timeit.repeat(lambda: tmpl.generate(**context),
                            number=args.num, repeat=args.repeat)
    ns = statistics.median(timings) / args.num * 1e9
    print("tornado=%s renders=%d repeat=%d bytes=%d ns_per_op=%.0f"
          % (tornado.version, args.num, args.repeat, len(page), ns))


if __name__ == "__main__":
    main()
