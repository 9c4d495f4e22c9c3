"""政策文档助手 web app: settings → assistant → UI → launch (python app.py [--host ...])."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve the app until interrupted."""
    parser = argparse.ArgumentParser(description="政策文档助手网页界面")
    parser.add_argument("--config", help="settings.yaml（默认：当前目录下的 settings.yaml）")
    parser.add_argument("--index", dest="data_dir", help="数据目录（文档库与索引）")
    parser.add_argument("--host", help="监听地址（默认 127.0.0.1；其他地址需配置登录用户）")
    parser.add_argument("--port", type=int, help="端口（默认 7860）")
    args = parser.parse_args(argv)

    from assistant.ui.offline import prepare_offline_env

    prepare_offline_env()  # before gradio is imported: no analytics, no version check
    from assistant.cli.common import settings_from_args, setup_errors
    from assistant.container import build_assistant
    from assistant.ui.app_builder import build_ui
    from assistant.ui.serving import ServingError, launch, launch_options

    try:
        settings = settings_from_args(args)
        settings.server.host = args.host or settings.server.host
        settings.server.port = args.port or settings.server.port
        launch_options(settings.server)  # refuse a public bind without users before loading models
        assistant = build_assistant(settings)
    except (*setup_errors(), ServingError) as exc:
        print(exc, file=sys.stderr)
        return 2
    assistant.library.complete_pending_in_background()  # an ingest killed mid-embedding
    launch(build_ui(assistant), settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
