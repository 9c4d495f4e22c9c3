"""Place names: 本市/我市/本省 resolved from issuer, title and opening, so a question naming the place finds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.settings import Settings
from index.library import Library
from index.places import document_places

# Fictional texts (示例) in the shapes the misses had: the place only in the issuer, only in a
# dateline, only as the city of a province the question names.
TIANJIN_NOTICE = """关于做好机关食堂错峰就餐工作的通知（虚构示例）

各区机关事务管理部门：
为做好我市机关食堂错峰就餐工作，现将有关事项通知如下。
一、全市各级机关食堂实行分时段就餐，每批次不超过30人，就餐时间不超过20分钟，座位间隔不少于1米，同向就座，不交谈，不聚集，就餐结束后及时离开。各单位按照部门人数分配就餐批次，错峰安排到岗时间，避免在食堂门口排队等候，排队时保持一米以上距离。
二、食堂工作人员每日开展两次体温检测，上岗前更换工作服，佩戴口罩和手套，出现发热、咳嗽等症状的立即停止工作并按规定报告，不得带病上岗，不得隐瞒症状。食堂负责人每日登记工作人员健康状况，发现异常情况当日报告，并对其接触过的区域进行消毒处理，相关人员经医学观察无异常后方可返岗。
三、食堂每日对就餐区域、操作间和餐具进行消毒，消毒记录保存备查，餐具一人一用一消毒，公用物品表面每日消毒不少于三次，垃圾日产日清。
四、鼓励各单位提供盒饭和送餐服务，减少人员聚集，有条件的单位可以安排分散就餐，分餐制实行期间暂停自助餐，暂停聚餐和宴请活动。
五、食材采购严格执行索证索票制度，不得采购来源不明的禽畜产品，严禁采购和加工野生动物，进货查验记录保存不少于六个月。
六、各单位机关事务管理部门每周开展一次检查，发现问题立即整改，整改情况报送机关事务管理局，检查结果纳入年度考核。

天津市机关事务管理局
2020年2月10日
"""

DATELINE_NEWS = """重庆开通办公用房维修“绿色通道”（虚构示例）

示例日报讯（记者 某某）2月18日，记者从重庆市机关事务管理局获悉，为保障复工，本市开通办公用房维修绿色通道。
维修申请提交后24小时内完成现场查勘，紧急维修4小时内到场。
"""

MINISTRY_TEXT = """关于加强公共机构节能管理的通知（虚构示例）

各省、自治区、直辖市机关事务管理局：
湖北省机关事务管理局报告了全省公共机构节能工作情况。各地要结合本省实际，做好节能工作。
示例部
"""


def test_a_notice_saying_our_city_is_placed_by_its_signature() -> None:
    places = document_places("关于做好机关食堂错峰就餐工作的通知", "", TIANJIN_NOTICE[:80], TIANJIN_NOTICE)
    assert places[:2] == ["天津市", "天津"]


def test_a_district_resolves_to_its_city_and_province() -> None:
    places = document_places("关于加强疫情防控期间食堂管理的工作提醒", "重庆市大渡口区市场监督管理局", "", "")
    assert places == ["大渡口区", "重庆市", "重庆"]


def test_a_city_brings_its_province() -> None:
    assert document_places("李希到广州调研检查工作", "", "", "") == ["广州市", "广州", "广东省", "广东"]
    assert document_places("内蒙古：包车免收通行费", "", "", "")[:2] == ["内蒙古自治区", "内蒙古"]


def test_a_dateline_names_the_place_a_text_calls_our_city() -> None:
    lead = DATELINE_NEWS.split("\n\n", 1)[1][:160]
    assert document_places("办公用房维修绿色通道", "", lead, DATELINE_NEWS)[:2] == ["重庆市", "重庆"]


def test_a_ministry_quoting_one_province_is_not_placed() -> None:
    assert document_places("关于加强公共机构节能管理的通知", "示例部", MINISTRY_TEXT[:160], MINISTRY_TEXT) == []


def test_ambiguous_district_names_and_everyday_words_are_not_places() -> None:
    assert document_places("鼓楼区机关食堂管理规定", "", "", "") == []  # a 鼓楼区 in several cities
    assert document_places("祝全市干部职工安康", "", "", "") == []


@pytest.fixture(scope="module")
def embedder():
    cfg = Settings().embedding
    return make_embeddings(cfg), embedding_model_id(cfg)


def test_a_question_naming_the_place_finds_the_our_city_notice(tmp_path: Path, embedder) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "食堂通知.txt").write_text(TIANJIN_NOTICE, encoding="utf-8")
    # Another city's notice on the same subject, naming its place in the text.
    (folder / "示例市食堂通知.txt").write_text(
        TIANJIN_NOTICE.replace("天津市", "示例市").replace("我市", "示例市").replace("全市", "示例市"),
        encoding="utf-8",
    )
    settings = Settings()
    library = Library(tmp_path / "data", embedder[0], settings, model_id=embedder[1])
    library.ingest([folder])
    hits = library.search("天津机关食堂分时段就餐每批次多少人？", k=1)
    assert hits[0].metadata["source"] == "食堂通知.txt"
    assert "每批次不超过30人" in hits[0].page_content
    assert "天津" not in hits[0].page_content  # found by the resolved place; the text is unchanged
    state = library.snapshot()
    row = next(i for i, c in enumerate(state.chunks) if c.chunk_id == hits[0].metadata["chunk_id"])
    assert "天津" in state.tokens[row]
