"""The statistical model's feature blocks: boilerplate cleaning and the taxonomy matcher."""

from hotline.models import Category
from triage.classify import category_taxonomy
from triage.features import TaxonomyMatcher, clean, make_pipeline


def test_boilerplate_shared_by_all_classes_is_dropped_before_ngrams():
    text = clean("尊敬的领导您好,A市A3区幸福路12号2020年1月口罩卖50元,谢谢!http://x.cn/a")
    for noise in ("领导", "您好", "谢谢", "A3区", "12", "2020", "http"):
        assert noise not in text
    assert "口罩" in text and "幸福路" in text


def test_taxonomy_matcher_counts_whole_names_and_their_words_per_category():
    matcher = TaxonomyMatcher([("城市建设 城管执法", "城乡"), ("学校 教育收费", "教育")], scale=1.0).fit([])
    row = dict(zip(matcher.labels_, matcher.transform(["小区门口城管执法不文明"]).toarray()[0]))
    assert row["城乡"] > 0 and row["教育"] == 0


def test_pipeline_with_taxonomy_learns_a_class_from_its_vocabulary():
    texts = ["口罩价格太高", "药店口罩涨价", "学校收费不合理", "幼儿园乱收费"] * 3
    labels = ["价格", "价格", "教育", "教育"] * 3
    model = make_pipeline(taxonomy=[("哄抬物价 口罩价格", "价格"), ("学校 教育收费", "教育")]).fit(texts, labels)
    assert list(model.predict(["这家店哄抬物价", "教育收费的问题"])) == ["价格", "教育"]


def test_category_taxonomy_gives_each_name_to_itself_and_its_ancestors(db):
    parent = Category.objects.create(code="T-PARENT", name="市场监管")
    Category.objects.create(code="T-CHILD", name="口罩价格", parent=parent)
    Category.objects.create(code="T-OFF", name="停用分类", parent=parent, active=False)
    pairs = set(category_taxonomy())
    assert {("口罩价格", "T-CHILD"), ("口罩价格", "T-PARENT"), ("市场监管", "T-PARENT")} <= pairs
    assert not any(name == "停用分类" for name, _code in pairs)
