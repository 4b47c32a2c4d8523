"""Third session's rule additions, from sixteen fresh blind rounds (docs/benchmarks/triage.md, rounds A–P).

What the rounds showed, and what each group here generalises (never a test sentence):
- returning to work seen from the worker's side (回厂, 回岗, a boss fetching his workers by coach, a landlord
  refusing a returner) is 返乡返岗; the workplace nouns alone (厂里, 工人, 老板) say little about a company
  resuming early, so they weigh less for 复工复产;
- rumours, pets and the virus, funerals and cremation, the duty posts' own hardship and the disinfection of
  shared spaces are the 其他 epidemic matters;
- quarantine enforcement (door cameras, door sensors, a fourteen days long over) is 隔离观察;
- "miracle" anti-virus products are 防疫物资 fakes, not a general false-advertising complaint;
- who the caller is (外地务工人员, 留学生, a taxi driver, an old person whose children cannot come back) is
  context; the matter is what happened to them;
- the villages' own words: 家来 (come home), 凑在一块 (gather), 设了卡 (a checkpoint), 鄂字头 (a Hubei plate),
  八四 (84 disinfectant), 堂食 (eating in at a restaurant that should only sell take-away).
"""

from django.db import migrations

from triage.migrations._rules import apply_rules

ADD = {
    "EP-RETURN": [
        ("回港闸", 3),
        ("家来", 2.5), ("想家来", 3), ("回来上岗", 3.5), ("回来+上岗", 3), ("接回", 3),
        ("回厂", 3), ("回岗", 3.5), ("回到岗位", 3.5), ("回来上班", 3), ("回去上班", 2.5), ("接工人", 3.5),
        ("接员工", 3.5), ("包车+接", 3), ("包车+回", 3), ("困在老家", 4), ("在老家+出不来", 3.5),
        ("暂缓返回", 3.5), ("暂缓+回", 2.5), ("催+回去", 2.5), ("催+回来", 2.5), ("房东+不让", 3),
        ("不让+入住", 3), ("拒绝+入住", 3), ("过完年+回来", 2.5), ("回来+租", 1.5),
    ],
    "EP-WORK": [
        ("上门施工", 3.5), ("装修公司", 3), ("仓库+偷偷", 3), ("装货", 2.5),
        ("没批下来", 3.5), ("批下来", 2.5), ("后门+上班", 3), ("卷帘门+干活", 3),
        ("偷偷干", 3.5), ("干起来了", 2.5), ("施工队", 3), ("装修队", 3.5), ("装修+干活", 3), ("干活了", 2),
        ("进场", 2.5), ("直接上岗", 3.5), ("复工许可", 4), ("复工证明", 3.5), ("开工许可", 4),
    ],
    "EP-OTHER": [
        ("活动轨迹", 3.5), ("轨迹", 2.5), ("捐赠账户", 3.5), ("捐款+方式", 3),
        ("传谣", 4.5), ("网上看到", 2.5),
        ("是真的吗", 3.5), ("听说+确诊", 3), ("靠谱吗", 3), ("靠不靠谱", 3),
        ("捐", 2.5), ("捐+口罩", 3), ("废口罩", 4), ("喇叭", 2.5), ("喷消毒", 3), ("喷洒", 2), ("到处喷", 2.5),
        ("流传", 3), ("网传", 3.5), ("真假", 2.5), ("是真是假", 3.5), ("网上有人说", 3), ("有人说", 1.5),
        ("宠物+传染", 4), ("狗+传染", 3.5), ("猫+传染", 3.5), ("宠物+病毒", 4), ("狗+病毒", 3.5),
        ("猫+病毒", 3.5), ("宠物+传播", 4), ("狗+传播", 3.5), ("猫+传播", 3.5), ("后事", 3), ("火化", 3.5),
        ("殡仪馆", 3.5), ("去世", 1.5), ("帐篷", 2.5), ("值守+冻", 3), ("值守的", 2), ("电梯+消毒", 3.5),
        ("未消毒", 3), ("消杀", 2.5), ("捐赠", 2.5), ("捐款", 3), ("捐物资", 3.5),
    ],
    "EP-QUARANTINE": [
        ("隔离+自费", 3), ("酒店隔离", 3.5),
        ("在家观察", 3), ("集中点", 3), ("没法分开", 3),
        ("感应", 2.5), ("有没有出门", 3),
        ("摄像头", 3.5), ("门磁", 4), ("十四天+满", 3), ("14天+满", 3), ("关到什么时候", 3.5),
        ("隔离期满", 3.5), ("期满", 2),
    ],
    "EP-PRICE": [
        ("兑了水", 3), ("兑水", 3),
        ("售价", 2.5), ("涨到", 3), ("体温计+涨", 3.5),
        ("口罩+不发货", 3.5), ("口罩+受骗", 3.5), ("口罩+骗", 3), ("预售+口罩", 3),
        ("八四", 2), ("84消毒", 3), ("消毒液+假", 3), ("口罩+假", 3),
        ("防病毒", 3), ("杀灭+病毒", 3.5), ("号称", 2), ("虚假宣传+病毒", 3), ("喷雾", 2), ("花露水", 2),
        ("预防+新冠", 2), ("防新冠", 3),
    ],
    "EP-VEHICLE": [
        ("设卡", 3.5), ("设了卡", 3.5), ("关卡", 3), ("鄂字头", 4), ("鄂+车", 2.5),
    ],
    "EP-GATHER": [
        ("招待客人", 3), ("偷偷+招待", 3),
        ("摆地摊", 3), ("地摊", 2.5), ("围了", 2.5), ("一大圈人", 3),
        ("凑在一块", 3.5), ("聚在一块", 3.5), ("挤一块", 3), ("一帮", 2), ("堂食", 3.5), ("坐满", 3),
    ],
    "EP-LIVING": [
        ("子女+回不来", 3.5), ("儿女+回不来", 3.5), ("子女不在身边", 3.5), ("儿女不在身边", 3.5), ("买不到吃的", 4), ("送饭", 3),
        ("米面", 3), ("耗尽", 2.5), ("生活帮扶", 3.5), ("无人照顾", 3),
        ("快吃完", 3), ("米+吃完", 3.5), ("用水都成问题", 4), ("都成问题", 2.5), ("师傅+进不", 3), ("出不了门", 2.5),
        ("吃饭都成问题", 4), ("吃饭+成问题", 3.5), ("没饭吃", 4), ("揭不开锅", 4), ("交不起", 2),
    ],
    "EP-MEDICAL": [
        ("去检查", 2.5),
    ],
    "EP-POLICY": [
        ("出南通", 2.5), ("说法都不一", 3.5),
        ("待几天", 3), ("要在家待", 2),
        ("哪个文件", 3.5), ("文件+定", 3), ("管到哪一天", 3), ("开始算", 3),
        ("探亲", 2), ("是否允许", 3.5), ("认定标准", 4), ("标准是什么", 3.5), ("审批手续", 3),
        ("还办不办", 3), ("开不开门", 2.5),
    ],
}

# (category, phrase): (weight shipped before, new weight)
REWEIGHT = {
    ("EP-WORK", "老板"): (2, 1.5),
    ("EP-WORK", "厂里"): (2.5, 1.5),
    ("EP-WORK", "工厂"): (2.5, 2),
    ("EP-WORK", "员工"): (2, 1.5),
    ("EP-WORK", "工人"): (2, 1.5),
    ("EP-WORK", "公司"): (1.5, 1),
    ("EP-RETURN", "务工人员"): (2.5, 1.5),  # "外地务工人员" is one description of the caller, not two
    # a rumour is the matter whatever it is about (确诊, 封路): the rumour words outweigh the topic words
    ("EP-OTHER", "谣言"): (3, 4.5),
    ("EP-OTHER", "谣传"): (3.5, 4.5),
    ("EP-OTHER", "造谣"): (3, 4.5),
    ("EP-OTHER", "辟谣"): (3, 4),
}
# Hubei's cities name where a caller's neighbour came back from as surely as 武汉 or 湖北 do
HUBEI_CITIES = ("黄冈", "孝感", "荆州", "宜昌", "襄阳", "十堰", "随州", "荆门", "鄂州", "咸宁", "恩施", "仙桃", "天门",
                "潜江")
REWEIGHT |= {("EP-PERSON", city): (2.5, 3.5) for city in HUBEI_CITIES}


def apply(apps, schema_editor):
    apply_rules(apps, ADD, REWEIGHT)


class Migration(migrations.Migration):
    dependencies = [("triage", "0004_broader_rules")]
    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
