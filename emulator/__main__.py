"""Command line: ``python -m emulator [serve|demo|generate|publish-news] …``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from emulator.server import Emulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emulator",
                                     description="A local Microsoft 365 tenant for the intranet.")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="serve the sample tenant (the default)")
    _serve_options(serve)
    demo = commands.add_parser("demo", help="sample tenant, sync, and the portal on port 5000")
    _serve_options(demo)
    generate = commands.add_parser("generate", help="write a large synthetic tenant to a file")
    generate.add_argument("--docs", type=int, default=10_000, help="number of documents")
    generate.add_argument("--sites", type=int, default=10, help="number of sites")
    generate.add_argument("--seed", type=int, default=1)
    generate.add_argument("--out", type=Path, default=Path("var/synthetic.tenant"),
                          help="file to write (serve it with --tenant-file)")
    publish = commands.add_parser("publish-news",
                                  help="publish a news post in a running emulator, as an editor")
    publish.add_argument("--title", required=True, help="the post's title")
    publish.add_argument("--text", default="", help="the post's text (paragraphs: blank lines)")
    publish.add_argument("--site", default="intranet", help="site name (intranet, hr, skoler, it)")
    publish.add_argument("--url", default="http://127.0.0.1:7070",
                         help="the running emulator's http address")
    publish.add_argument("--data-dir", type=Path, default=Path("var/emulator"),
                         help="the running emulator's data directory (holds the editor key)")
    _serve_options(parser)
    return parser


def _serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--http-port", type=int, default=7070,
                        help="SharePoint REST, sign-in page and editor API (plain http)")
    parser.add_argument("--https-port", type=int, default=7443,
                        help="Entra ID discovery, token and keys, and Graph (TLS)")
    parser.add_argument("--data-dir", type=Path, default=Path("var/emulator"),
                        help="where certificates and credentials are written")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample tenant")
    parser.add_argument("--tenant-file", type=Path,
                        help="serve a tenant written by 'generate' instead of the sample")


def _load_tenant(args: argparse.Namespace):
    if args.tenant_file:
        from emulator.storage import load_tenant

        return load_tenant(args.tenant_file)
    from emulator.sample import build_sample_tenant

    return build_sample_tenant(args.seed)


def serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM."""
    from emulator.announce import describe, write_settings

    emulator = Emulator(_load_tenant(args), args.data_dir, args.host, args.http_port,
                        args.https_port).start()
    settings_file = write_settings(emulator, args.data_dir / "tenant.env")
    sys.stdout.write(describe(emulator, settings_file))
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    emulator.stop()
    return 0


def generate(args: argparse.Namespace) -> int:
    """Build a synthetic tenant and save it."""
    from emulator.storage import save_tenant
    from emulator.synthetic import build_synthetic_tenant

    tenant = build_synthetic_tenant(args.docs, seed=args.seed, sites=args.sites)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_tenant(tenant, args.out)
    sys.stdout.write(f"Wrote a tenant with {args.docs} documents to {args.out}\n")
    return 0


def publish_news(args: argparse.Namespace) -> int:
    """Publish one news post through the editor API of a running emulator."""
    from emulator.editor_client import EditorApiError, EditorClient

    key_file = args.data_dir / "credentials" / "editor-key.txt"
    try:
        key = key_file.read_text().strip()
    except OSError:
        sys.stderr.write(f"No editor key in {key_file}: is the emulator running with "
                         f"--data-dir {args.data_dir}?\n")
        return 2
    try:
        page = EditorClient(args.url, key).publish_news(args.site, args.title, text=args.text)
    except (EditorApiError, OSError) as exc:
        sys.stderr.write(f"The emulator refused the post: {exc}\n")
        return 1
    sys.stdout.write(f"Published {page['url']}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = _parser().parse_args(argv)
    if args.command == "generate":
        return generate(args)
    if args.command == "publish-news":
        return publish_news(args)
    if args.command == "demo":
        from emulator.demo import run_demo

        return run_demo(args.data_dir.parent, args.seed, args.http_port, args.https_port)
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
