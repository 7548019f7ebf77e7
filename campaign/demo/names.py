"""Pools of realistic names for people and places, and small random helpers.

Every function takes the caller's ``random.Random`` so that the output is
reproducible from its seed.
"""

import datetime
import itertools

# The most common surnames of northern China, most frequent first; the weights
# make 王, 李, 张, 刘 as frequent as they are in a real roster.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛"
    "叶阎潘杜戴夏钟汪田任姜范方石姚谭邹金陆郝孔白崔康毛邱秦江史顾侯邵孟段雷钱汤尹常武乔贺齐庞"
)
SURNAME_WEIGHTS = [max(1, 60 - i) for i in range(len(SURNAMES))]
_SURNAME_CUM = list(itertools.accumulate(SURNAME_WEIGHTS))

MALE_CHARS = (
    "国建军志明伟海春福宝德文永成林强东平利金山树忠学富贵权庆胜华刚勇鹏涛磊斌亮飞峰辉新民生长义喜财发"
)
FEMALE_CHARS = "秀英桂兰芳丽霞艳红玲梅敏静燕娟凤琴云莲洁萍娜慧婷雪华荣玉珍彩"

# Mongolian given names, used alone as is customary (巴特尔, 其木格).
MONGOLIAN_MALE = (
    "巴特尔",
    "乌力吉",
    "那日苏",
    "宝音",
    "阿拉坦",
    "额尔敦",
    "朝鲁",
    "巴图",
    "格日勒图",
    "孟和",
    "哈斯",
    "毕力格",
    "满都拉",
    "特木尔",
)
MONGOLIAN_FEMALE = (
    "其木格",
    "萨仁",
    "敖登",
    "斯琴",
    "图雅",
    "苏日娜",
    "乌云",
    "高娃",
    "娜仁",
    "塔娜",
    "琪琪格",
)

# Ethnicities of the Chifeng area and their rough shares among rural cadres.
ETHNICITIES = ("汉族", "蒙古族", "满族", "回族", "朝鲜族")
ETHNICITY_WEIGHTS = (86, 9, 3, 1.5, 0.5)
_ETHNICITY_CUM = list(itertools.accumulate(ETHNICITY_WEIGHTS))

# The sixteen townships of the rulebook's county (林西县), as they were when it was written.
LINXI_TOWNSHIPS = (
    "林西镇",
    "新城子镇",
    "新林镇",
    "五十家子镇",
    "官地镇",
    "大井镇",
    "统部镇",
    "隆平镇",
    "双井店乡",
    "大川乡",
    "十二吐乡",
    "下场乡",
    "毡铺乡",
    "繁荣乡",
    "兴隆庄乡",
    "城子乡",
)

# The agriculture-related county departments the rulebook lists as taking part.
LINXI_DEPARTMENTS = (
    "财政局",
    "地税局",
    "农业局",
    "畜牧局",
    "林业局",
    "水利局",
    "农机局",
    "扶贫办",
    "民政局",
    "国土资源局",
    "工商局",
    "公安局",
    "司法局",
    "科技局",
    "教育局",
    "文化局",
    "卫生局",
    "人口与计划生育委员会",
    "广电中心",
    "气象局",
    "信用联社",
)

VILLAGE_FIRST = (
    "东",
    "西",
    "南",
    "北",
    "前",
    "后",
    "大",
    "小",
    "上",
    "下",
    "新",
    "头道",
    "二道",
    "三道",
    "四道",
    "五道",
    "十八",
    "太平",
    "兴隆",
    "永兴",
    "富强",
    "红光",
    "胜利",
    "双山",
    "石门",
    "柳树",
    "榆树",
    "杏树",
    "黄土",
    "五星",
    "联合",
    "长胜",
    "合心",
    "宝山",
    "金山",
    "官",
    "王家",
    "李家",
    "刘家",
    "张家",
    "赵家",
    "白音",
    "哈达",
    "乌兰",
    "敖包",
    "巴彦",
)
MONGOLIAN_PREFIXES = ("白音", "哈达", "乌兰", "敖包", "巴彦")
VILLAGE_SECOND = (
    "沟",
    "营子",
    "窝铺",
    "台",
    "屯",
    "店",
    "梁",
    "湾",
    "甸子",
    "庄",
    "井",
    "房",
    "坝",
    "洼",
    "庙",
    "岭",
    "川",
    "河",
)

# Industries of the area, for industry and cooperative party organizations.
INDUSTRIES = ("奶牛养殖协会", "食用菌专业合作社", "肉羊养殖合作社", "马铃薯种植合作社", "林果协会")


def person_name(rng, gender, ethnicity):
    """A plausible full name for a cadre of this gender and ethnicity."""
    if ethnicity == "蒙古族" and rng.random() < 0.6:
        return rng.choice(MONGOLIAN_MALE if gender == "m" else MONGOLIAN_FEMALE)
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
    chars = MALE_CHARS if gender == "m" else FEMALE_CHARS
    given = rng.choice(chars)
    if rng.random() < 0.75:
        given += rng.choice(chars)
    return surname + given


def ethnicity(rng):
    return rng.choices(ETHNICITIES, cum_weights=_ETHNICITY_CUM)[0]


def village_name(rng, taken):
    """A village name not yet in ``taken`` (which it extends)."""
    while True:
        first = rng.choice(VILLAGE_FIRST)
        name = first + rng.choice(VILLAGE_SECOND)
        name += "嘎查" if first in MONGOLIAN_PREFIXES else "村"
        if name not in taken:
            taken.add(name)
            return name


def mobile(rng):
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def date_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def birth_date(rng, age_from, age_to, on=datetime.date(2024, 1, 1)):
    """A birth date making the person between ``age_from`` and ``age_to`` years old ``on`` that day."""
    return date_between(
        rng,
        on.replace(year=on.year - age_to),
        on.replace(year=on.year - age_from),
    )
