#!/usr/bin/env python3
"""Tornado's hello world, the Tornado peer of the tornago benchmarks.

The handler of Tornado's maint/benchmark/benchmark.py: GET / writes
"Hello, world", with the access log turned off as that benchmark does.

    taskset -c 0 python3 tornado_hello.py -port 18084 -loops 1

-loops 1 (the default) runs one process; -loops N forks N processes sharing
the listening socket (Tornado's fork_processes; 0 means one per CPU).
"""

import argparse
import asyncio

import tornado.httpserver
import tornado.netutil
import tornado.process
import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-port", type=int, default=8888, help="TCP port")
    parser.add_argument("-address", default="127.0.0.1", help="address to listen on")
    parser.add_argument("-loops", type=int, default=1,
                        help="processes (0: one per CPU)")
    args = parser.parse_args()

    sockets = tornado.netutil.bind_sockets(args.port, args.address)
    if args.loops != 1:
        tornado.process.fork_processes(args.loops)

    async def serve():
        app = tornado.web.Application([(r"/", MainHandler)],
                                      log_function=lambda handler: None)
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
