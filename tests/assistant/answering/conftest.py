"""Fictional passages (示例) shaped like the Library's search results, and a recording search."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from assistant.settings import Settings

TITLE = "示例市公务用车管理办法"

ARTICLE_12 = (
    "第十二条 公务用车实行定点维修，维修单位通过政府采购确定。"
    "单次维修费用超过5000元的，使用单位应当报机关事务管理局审批。"
    "维修完成后，使用单位应当在5个工作日内登记维修台账。"
)
ARTICLE_20 = (
    "第二十条 公务用车达到国家规定报废标准的，应当及时报废。"
    "报废车辆由机关事务管理局统一交由有资质的回收企业处置，处置收入全额上缴财政。"
)
ARTICLE_8 = (
    "第八条 公务用车实行编制管理，车辆编制由机关事务管理局会同财政部门核定。"
    "新增车辆应当优先配备新能源汽车。"
)


def doc(text: str, n: int, article: str | None, relevance: float | None = 0.8, **meta) -> Document:
    """A search hit as index/library.py returns it."""
    metadata = {
        "chunk_id": f"car:{n}", "doc_id": "car", "title": TITLE, "source": "car.md",
        "section": "第三章 使用管理", "heading_path": ["第三章 使用管理"], "article": article,
        "page": None, "doc_type": "regulation", "year": 2024, "score": 0.1, "rank": n,
        "relevance": relevance,
    }
    metadata.update(meta)
    return Document(page_content=text, metadata=metadata)


class RecordingSearch:
    """A search callable that returns fixed hits and remembers how it was called."""

    def __init__(self, hits: list[Document]):
        self.hits = hits
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, query: str, **kwargs) -> list[Document]:
        self.calls.append((query, kwargs))
        return list(self.hits)


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def car_hits() -> list[Document]:
    return [doc(ARTICLE_12, 12, "第十二条", 0.8), doc(ARTICLE_20, 20, "第二十条", 0.5),
            doc(ARTICLE_8, 8, "第八条", 0.3)]


@pytest.fixture
def search(car_hits) -> RecordingSearch:
    return RecordingSearch(car_hits)
