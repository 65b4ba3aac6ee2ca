"""Word lists the demo generator draws from: districts, places, industries, names and titles.

Everything here is plain data. Places and district codes are real (so maps and credit codes look
right); brands, operators, enterprises and people are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The tables below read best as rows of a table, so the formatter leaves them alone.
# fmt: off


@dataclass(frozen=True)
class District:
    name: str
    name_en: str
    #: the 6-digit administrative division code used in unified social credit codes
    area_code: str
    #: how many of the ~30 parks at scale 1 lie here
    park_weight: float
    #: urban districts have smaller parks
    urban: bool = False
    #: (name, pinyin, longitude, latitude): towns and areas where parks sit
    places: tuple[tuple[str, str, float, float], ...] = ()
    #: the name of the district government; the district commissions follow a pattern
    government: str = ""
    government_en: str = ""


DISTRICTS: tuple[District, ...] = (
    District("浦东新区", "Pudong New Area", "310115", 6, places=(
        ("张江", "Zhangjiang", 121.598, 31.205), ("金桥", "Jinqiao", 121.620, 31.262),
        ("外高桥", "Waigaoqiao", 121.588, 31.352), ("康桥", "Kangqiao", 121.580, 31.140),
        ("川沙", "Chuansha", 121.702, 31.192), ("周浦", "Zhoupu", 121.570, 31.110),
        ("曹路", "Caolu", 121.672, 31.272), ("航头", "Hangtou", 121.602, 31.036),
    )),
    District("临港新片区", "Lingang Special Area", "310115", 4, places=(
        ("临港", "Lingang", 121.920, 30.905), ("泥城", "Nicheng", 121.830, 30.930),
        ("书院", "Shuyuan", 121.850, 30.962), ("万祥", "Wanxiang", 121.800, 30.965),
        ("芦潮港", "Luchaogang", 121.880, 30.860),
    ), government="中国（上海）自由贸易试验区临港新片区管理委员会",
        government_en="China (Shanghai) Pilot Free Trade Zone Lingang Special Area Administration"),
    District("闵行区", "Minhang District", "310112", 3, places=(
        ("紫竹", "Zizhu", 121.452, 31.022), ("莘庄", "Xinzhuang", 121.380, 31.112),
        ("马桥", "Maqiao", 121.360, 31.030), ("吴泾", "Wujing", 121.462, 31.052),
        ("颛桥", "Zhuanqiao", 121.410, 31.062), ("华漕", "Huacao", 121.300, 31.220),
    )),
    District("嘉定区", "Jiading District", "310114", 3, places=(
        ("安亭", "Anting", 121.162, 31.292), ("南翔", "Nanxiang", 121.312, 31.298),
        ("马陆", "Malu", 121.262, 31.332), ("江桥", "Jiangqiao", 121.320, 31.252),
        ("外冈", "Waigang", 121.172, 31.372), ("徐行", "Xuxing", 121.272, 31.422),
    )),
    District("松江区", "Songjiang District", "310117", 3, places=(
        ("洞泾", "Dongjing", 121.232, 31.088), ("九亭", "Jiuting", 121.322, 31.132),
        ("新桥", "Xinqiao", 121.322, 31.068), ("车墩", "Chedun", 121.312, 31.002),
        ("小昆山", "Xiaokunshan", 121.152, 31.048), ("泗泾", "Sijing", 121.262, 31.118),
    )),
    District("青浦区", "Qingpu District", "310118", 2, places=(
        ("华新", "Huaxin", 121.222, 31.232), ("徐泾", "Xujing", 121.272, 31.182),
        ("赵巷", "Zhaoxiang", 121.192, 31.158), ("白鹤", "Baihe", 121.112, 31.248),
        ("练塘", "Liantang", 121.042, 31.012),
    )),
    District("宝山区", "Baoshan District", "310113", 2, places=(
        ("顾村", "Gucun", 121.372, 31.348), ("罗店", "Luodian", 121.342, 31.412),
        ("杨行", "Yanghang", 121.412, 31.362), ("月浦", "Yuepu", 121.422, 31.418),
        ("罗泾", "Luojing", 121.352, 31.478),
    )),
    District("奉贤区", "Fengxian District", "310120", 2, places=(
        ("南桥", "Nanqiao", 121.462, 30.922), ("奉城", "Fengcheng", 121.642, 30.922),
        ("金汇", "Jinhui", 121.552, 30.982), ("青村", "Qingcun", 121.562, 30.932),
        ("庄行", "Zhuanghang", 121.402, 30.892),
    )),
    District("金山区", "Jinshan District", "310116", 2, places=(
        ("亭林", "Tinglin", 121.322, 30.882), ("枫泾", "Fengjing", 121.012, 30.892),
        ("朱泾", "Zhujing", 121.172, 30.902), ("山阳", "Shanyang", 121.362, 30.782),
        ("漕泾", "Caojing", 121.432, 30.792),
    )),
    District("徐汇区", "Xuhui District", "310104", 1, urban=True, places=(
        ("漕河泾", "Caohejing", 121.402, 31.172), ("华泾", "Huajing", 121.442, 31.122),
    )),
    District("杨浦区", "Yangpu District", "310110", 1, urban=True, places=(
        ("五角场", "Wujiaochang", 121.512, 31.302), ("新江湾", "Xinjiangwan", 121.502, 31.332),
    )),
    District("普陀区", "Putuo District", "310107", 1, urban=True, places=(
        ("桃浦", "Taopu", 121.392, 31.282), ("真如", "Zhenru", 121.402, 31.252),
    )),
)
DISTRICTS_BY_NAME = {d.name: d for d in DISTRICTS}
#: registrations of Lingang enterprises mostly carry Pudong's code; the address names Pudong too
ADDRESS_DISTRICT = {"临港新片区": "浦东新区"}
MUNICIPAL_AREA_CODE = "310000"


@dataclass(frozen=True)
class Brand:
    code: str
    name: str
    name_en: str
    #: which operator (index into OPERATORS) runs it
    operator: int
    #: districts it prefers, in order
    districts: tuple[str, ...]
    #: top-level industry codes its parks focus on
    focus: tuple[str, ...]
    description: str


BRANDS: tuple[Brand, ...] = (
    Brand("bhxg", "滨海芯谷", "Coastal Chip Valley", 0,
          ("临港新片区", "奉贤区", "金山区", "浦东新区"), ("IC", "EQP", "NE"),
          "面向集成电路与高端装备的临海产业社区。"),
    Brand("pjzg", "浦江智谷", "Pujiang Smart Valley", 0,
          ("浦东新区", "闵行区", "徐汇区", "杨浦区"), ("AI", "DIG", "IC"),
          "以人工智能与数字经济为主导的科创园区。"),
    Brand("scsmg", "申城生命港", "Shencheng Life Harbour", 0,
          ("浦东新区", "闵行区", "奉贤区", "松江区", "嘉定区"), ("BIO", "MAT"),
          "生物医药研发与生产的专业园区。"),
    Brand("csjzz", "长三角智造园", "YRD Smart Manufacturing Park", 0,
          ("嘉定区", "松江区", "青浦区", "宝山区", "金山区"), ("EQP", "NE", "MAT"),
          "高端装备与新能源制造的标准厂房园区。"),
    Brand("yqgj", "云桥国际商务港", "Yunqiao International Business Harbour", 1,
          ("青浦区", "闵行区", "普陀区", "宝山区", "杨浦区"), ("TRADE", "FIN", "DIG"),
          "服务新型国际贸易与跨境金融的商务园区。"),
)

#: (name, English name): the park operators
OPERATORS: tuple[tuple[str, str], ...] = (
    ("上海申江产业园区投资发展（集团）有限公司",
     "Shanghai Shenjiang Industrial Park Investment and Development (Group) Co., Ltd."),
    ("上海云桥商务港运营管理有限公司",
     "Shanghai Yunqiao Business Harbour Operation and Management Co., Ltd."),
)


@dataclass(frozen=True)
class IndustryNode:
    code: str
    name: str
    name_en: str
    national_code: str = ""
    #: (Chinese, English) words that end an enterprise name in this industry, before 有限公司
    words: tuple[tuple[str, str], ...] = ()
    children: tuple[IndustryNode, ...] = field(default_factory=tuple)
    #: share of enterprises under this top-level industry
    weight: float = 1.0
    #: land uses its enterprises hold, with weights
    land_uses: tuple[tuple[str, float], ...] = ()


def _n(code, name, name_en, national_code="", words=()):
    return IndustryNode(code, name, name_en, national_code, tuple(words))


_MANUFACTURING = (("industrial", 70), ("research", 25), ("logistics", 5))
_RESEARCH = (("research", 60), ("commercial", 25), ("industrial", 15))
_SERVICES = (("commercial", 60), ("logistics", 25), ("research", 15))

# National codes are GB/T 4754-2017 classes (with the 2019 amendment); left blank where no
# class fits the whole node.
INDUSTRIES: tuple[IndustryNode, ...] = (
    IndustryNode("IC", "集成电路", "Integrated circuits", weight=12, land_uses=_MANUFACTURING, children=(
        _n("IC-DES", "集成电路设计", "IC design", "6520",
           [("微电子科技", "Microelectronics Technology"), ("半导体科技", "Semiconductor Technology"),
            ("集成电路设计", "IC Design"), ("芯片技术", "Chip Technology")]),
        _n("IC-MFG", "晶圆制造", "Wafer fabrication", "3973",
           [("半导体制造", "Semiconductor Manufacturing"),
            ("集成电路制造", "Integrated Circuit Manufacturing"),
            ("晶圆科技", "Wafer Technology")]),
        _n("IC-PKG", "封装测试", "Packaging and testing", "3973",
           [("封装测试科技", "Packaging and Testing Technology"),
            ("微组装技术", "Micro-assembly Technology")]),
        _n("IC-EQP", "半导体设备", "Semiconductor equipment", "3562",
           [("半导体设备", "Semiconductor Equipment"), ("真空科技", "Vacuum Technology"),
            ("精密装备", "Precision Equipment")]),
        _n("IC-MAT", "电子材料", "Electronic materials", "3985",
           [("电子材料", "Electronic Materials"), ("半导体材料", "Semiconductor Materials")]),
        _n("IC-DEV", "功率与分立器件", "Power and discrete devices", "3972",
           [("功率半导体", "Power Semiconductor"), ("电子器件", "Electronic Devices")]),
    )),
    IndustryNode("AI", "人工智能", "Artificial intelligence", weight=12, land_uses=_RESEARCH, children=(
        _n("AI-ALG", "基础算法与大模型", "Foundation models and algorithms", "6513",
           [("人工智能科技", "Artificial Intelligence Technology"), ("智能科技", "Intelligent Technology"),
            ("数据智能", "Data Intelligence")]),
        _n("AI-CHIP", "智能芯片", "AI chips", "6520",
           [("智能芯片科技", "AI Chip Technology"), ("智算科技", "Intelligent Computing Technology")]),
        _n("AI-ROB", "智能机器人", "Intelligent robots", "3964",
           [("机器人科技", "Robotics Technology"), ("智能机器人", "Intelligent Robotics")]),
        _n("AI-VEH", "智能网联汽车", "Intelligent connected vehicles", "3670",
           [("智能驾驶科技", "Autonomous Driving Technology"), ("智行科技", "Smart Mobility Technology")]),
        _n("AI-APP", "人工智能应用", "AI applications", "6513",
           [("视觉科技", "Vision Technology"), ("语音科技", "Speech Technology"),
            ("智能信息科技", "Intelligent Information Technology")]),
    )),
    IndustryNode("BIO", "生物医药", "Biomedicine", "27", weight=14, land_uses=_MANUFACTURING, children=(
        _n("BIO-CHEM", "化学药", "Chemical drugs", "2720",
           [("医药科技", "Pharmaceutical Technology"), ("制药", "Pharmaceutical"), ("药业", "Pharma")]),
        _n("BIO-BIO", "生物药", "Biological drugs", "2761",
           [("生物科技", "Biotechnology"), ("生物制药", "Biopharmaceutical"),
            ("基因科技", "Gene Technology")]),
        _n("BIO-DEV", "医疗器械", "Medical devices", "358",
           [("医疗器械", "Medical Devices"), ("医疗科技", "Medical Technology"),
            ("生命科学仪器", "Life Science Instruments")]),
        _n("BIO-CRO", "研发外包", "CRO and CDMO", "7340",
           [("医药研发", "Pharmaceutical R&D"), ("新药研究", "Drug Discovery")]),
        _n("BIO-TCM", "现代中药", "Modern Chinese medicine", "2740",
           [("中药科技", "Chinese Medicine Technology"), ("本草药业", "Herbal Pharma")]),
    )),
    IndustryNode("EQP", "高端装备", "High-end equipment", weight=14, land_uses=_MANUFACTURING, children=(
        _n("EQP-AERO", "航空航天", "Aerospace", "374",
           [("航空科技", "Aviation Technology"), ("航天技术", "Aerospace Technology")]),
        _n("EQP-SHIP", "船舶与海洋工程", "Shipbuilding and offshore engineering", "373",
           [("船舶科技", "Marine Technology"), ("海洋工程", "Offshore Engineering")]),
        _n("EQP-ROB", "工业机器人", "Industrial robots", "3491",
           [("自动化科技", "Automation Technology"), ("智能装备", "Intelligent Equipment")]),
        _n("EQP-CNC", "智能制造装备", "Smart manufacturing equipment", "3421",
           [("精密机械", "Precision Machinery"), ("数控科技", "CNC Technology"),
            ("智能制造", "Intelligent Manufacturing")]),
        _n("EQP-INS", "仪器仪表", "Instruments", "401",
           [("仪器仪表", "Instruments"), ("测控技术", "Measurement and Control Technology"),
            ("传感科技", "Sensor Technology")]),
    )),
    IndustryNode("NE", "新能源", "New energy", weight=10, land_uses=_MANUFACTURING, children=(
        _n("NE-PV", "光伏", "Photovoltaics", "3825",
           [("光伏科技", "Photovoltaic Technology"), ("太阳能科技", "Solar Technology")]),
        _n("NE-BAT", "储能与动力电池", "Energy storage and batteries", "3841",
           [("储能科技", "Energy Storage Technology"), ("电池科技", "Battery Technology"),
            ("新能源科技", "New Energy Technology")]),
        _n("NE-H2", "氢能与燃料电池", "Hydrogen and fuel cells", "3849",
           [("氢能科技", "Hydrogen Technology"), ("燃料电池", "Fuel Cell")]),
        _n("NE-WIND", "风电装备", "Wind power equipment", "3415",
           [("风电科技", "Wind Power Technology"), ("风能装备", "Wind Energy Equipment")]),
        _n("NE-VEH", "新能源汽车", "New energy vehicles", "3612",
           [("新能源汽车", "New Energy Vehicle"), ("电驱动系统", "Electric Drive Systems")]),
    )),
    IndustryNode("MAT", "先进材料", "Advanced materials", weight=8, land_uses=_MANUFACTURING, children=(
        _n("MAT-CHEM", "高端化工新材料", "Advanced chemical materials", "2651",
           [("新材料科技", "New Materials Technology"), ("高分子材料", "Polymer Materials")]),
        _n("MAT-MET", "先进金属材料", "Advanced metal materials", "3240",
           [("合金材料", "Alloy Materials"), ("金属科技", "Metal Technology")]),
        _n("MAT-CMP", "复合材料", "Composite materials", "3062",
           [("复合材料", "Composite Materials"), ("碳纤维科技", "Carbon Fibre Technology")]),
        _n("MAT-NANO", "前沿材料", "Frontier materials", "",
           [("纳米科技", "Nanotechnology"), ("石墨烯科技", "Graphene Technology")]),
    )),
    IndustryNode("DIG", "数字经济", "Digital economy", weight=16, land_uses=_RESEARCH, children=(
        _n("DIG-SW", "软件和信息服务", "Software and IT services", "651",
           [("软件", "Software"), ("信息技术", "Information Technology"),
            ("网络科技", "Network Technology")]),
        _n("DIG-CLOUD", "云计算与数据中心", "Cloud and data centres", "6450",
           [("云计算", "Cloud Computing"), ("数据科技", "Data Technology"), ("大数据", "Big Data")]),
        _n("DIG-PLAT", "互联网平台", "Internet platforms", "6431",
           [("互联网科技", "Internet Technology"), ("数字科技", "Digital Technology")]),
        _n("DIG-SEC", "网络安全", "Cybersecurity", "",
           [("信息安全", "Information Security"), ("网络安全", "Cybersecurity")]),
        _n("DIG-IOT", "物联网", "Internet of things", "6532",
           [("物联网科技", "IoT Technology"), ("智联科技", "Smart Connectivity Technology")]),
    )),
    IndustryNode("FIN", "跨境金融", "Cross-border finance", weight=6, land_uses=_SERVICES, children=(
        _n("FIN-BANK", "银行与跨境结算", "Banking and cross-border settlement", "6621",
           [("金融服务", "Financial Services")]),
        _n("FIN-FUND", "股权投资", "Private equity and venture capital", "6760",
           [("股权投资管理", "Equity Investment Management"), ("创业投资", "Venture Capital")]),
        _n("FIN-PAY", "跨境支付", "Cross-border payments", "6930",
           [("支付科技", "Payment Technology"), ("金融信息服务", "Financial Information Services")]),
        _n("FIN-LEASE", "融资租赁", "Financial leasing", "6631",
           [("融资租赁", "Financial Leasing"), ("商业保理", "Commercial Factoring")]),
        _n("FIN-INS", "保险服务", "Insurance services", "",
           [("保险经纪", "Insurance Brokerage"), ("保险代理", "Insurance Agency")]),
    )),
    IndustryNode("TRADE", "新型国际贸易", "New international trade", weight=8, land_uses=_SERVICES, children=(
        _n("TR-OFF", "离岸贸易", "Offshore trade", "5181",
           [("国际贸易", "International Trading"), ("进出口", "Import and Export")]),
        _n("TR-ECOM", "跨境电商", "Cross-border e-commerce", "5193",
           [("跨境电子商务", "Cross-border E-commerce"), ("电子商务", "E-commerce")]),
        _n("TR-LOG", "国际物流与供应链", "International logistics and supply chain", "",
           [("国际物流", "International Logistics"), ("供应链管理", "Supply Chain Management")]),
        _n("TR-SVC", "服务贸易", "Trade in services", "",
           [("国际商务咨询", "International Business Consulting"), ("技术服务", "Technical Services")]),
    )),
)

#: (character, pinyin): characters of invented Chinese trade names (字号)
TRADE_CHARACTERS: tuple[tuple[str, str], ...] = (
        ("芯", "xin"), ("驰", "chi"), ("华", "hua"), ("创", "chuang"), ("博", "bo"), ("睿", "rui"),
        ("智", "zhi"), ("源", "yuan"), ("达", "da"), ("通", "tong"), ("鑫", "xin"), ("腾", "teng"),
        ("飞", "fei"), ("晶", "jing"), ("昊", "hao"), ("天", "tian"), ("海", "hai"), ("宇", "yu"),
        ("恒", "heng"), ("泰", "tai"), ("盛", "sheng"), ("凯", "kai"), ("锐", "rui"), ("捷", "jie"),
        ("嘉", "jia"), ("德", "de"), ("信", "xin"), ("安", "an"), ("联", "lian"), ("云", "yun"),
        ("星", "xing"), ("辰", "chen"), ("光", "guang"), ("明", "ming"), ("远", "yuan"), ("东", "dong"),
        ("方", "fang"), ("中", "zhong"), ("和", "he"), ("正", "zheng"), ("元", "yuan"), ("合", "he"),
        ("尚", "shang"), ("卓", "zhuo"), ("越", "yue"), ("启", "qi"), ("航", "hang"), ("领", "ling"),
        ("先", "xian"), ("振", "zhen"), ("兴", "xing"), ("旭", "xu"), ("峰", "feng"), ("川", "chuan"),
        ("江", "jiang"), ("浦", "pu"), ("申", "shen"), ("沪", "hu"), ("松", "song"), ("柏", "bai"),
        ("林", "lin"), ("青", "qing"), ("蓝", "lan"), ("紫", "zi"), ("金", "jin"), ("铭", "ming"),
        ("锦", "jin"), ("致", "zhi"), ("弘", "hong"), ("宏", "hong"), ("鸿", "hong"), ("万", "wan"),
        ("众", "zhong"), ("诚", "cheng"), ("益", "yi"), ("丰", "feng"), ("康", "kang"), ("健", "jian"),
        ("宁", "ning"), ("清", "qing"), ("朗", "lang"), ("思", "si"), ("维", "wei"), ("纳", "na"),
        ("微", "wei"), ("量", "liang"), ("极", "ji"), ("灵", "ling"), ("图", "tu"), ("数", "shu"),
        ("链", "lian"), ("矽", "xi"), ("磁", "ci"), ("能", "neng"), ("拓", "tuo"), ("展", "zhan"),
        ("景", "jing"), ("熙", "xi"), ("晟", "sheng"), ("昱", "yu"), ("璟", "jing"), ("琪", "qi"),
        ("骏", "jun"), ("翔", "xiang"), ("鹏", "peng"), ("麒", "qi"), ("麟", "lin"), ("凌", "ling"),
        ("霄", "xiao"), ("普", "pu"), ("瀚", "han"), ("澜", "lan"), ("沣", "feng"), ("誉", "yu"),
        ("钧", "jun"), ("铂", "bo"), ("锋", "feng"), ("迪", "di"), ("赛", "sai"), ("泓", "hong"),
        ("乾", "qian"), ("坤", "kun"), ("曜", "yao"), ("阳", "yang"), ("皓", "hao"), ("朔", "shuo"),
        ("岚", "lan"), ("溪", "xi"), ("禾", "he"), ("耀", "yao"), ("策", "ce"), ("衡", "heng"),
        ("准", "zhun"), ("精", "jing"), ("研", "yan"), ("帆", "fan"), ("舟", "zhou"),
)

#: (character, Latin syllable): transliterations for invented foreign brands (奥瑞恩 -> Aurien)
FOREIGN_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("艾", "Ae"), ("奥", "Au"), ("贝", "Be"), ("博", "Bo"), ("德", "De"), ("恩", "en"), ("菲", "Fi"),
    ("格", "Gre"), ("赫", "He"), ("凯", "Ke"), ("科", "Co"), ("拉", "La"), ("莱", "Lai"), ("朗", "Lan"),
    ("利", "li"), ("伦", "Len"), ("马", "Ma"), ("迈", "Mai"), ("米", "Mi"), ("纳", "Na"), ("诺", "No"),
    ("欧", "O"), ("普", "Pro"), ("瑞", "Rei"), ("萨", "Sa"), ("斯", "s"), ("索", "So"), ("泰", "Ta"),
    ("特", "te"), ("维", "Vi"), ("沃", "Vo"), ("西", "Si"), ("雅", "Ya"), ("伊", "I"), ("泽", "Ze"),
    ("森", "sen"), ("顿", "ton"), ("克", "k"), ("尔", "r"), ("思", "ss"),
)
#: the homes of foreign investors, for descriptions
FOREIGN_HOMES = ("德国", "美国", "日本", "新加坡", "法国", "瑞士", "韩国", "荷兰", "英国", "瑞典")

#: (surname, pinyin, weight): the common Chinese surnames, roughly by frequency
SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("王", "Wang", 7.1), ("李", "Li", 7.0), ("张", "Zhang", 6.7), ("刘", "Liu", 5.4), ("陈", "Chen", 4.5),
    ("杨", "Yang", 3.1), ("黄", "Huang", 2.2), ("赵", "Zhao", 2.0), ("吴", "Wu", 2.0), ("周", "Zhou", 1.9),
    ("徐", "Xu", 1.5), ("孙", "Sun", 1.3), ("马", "Ma", 1.1), ("朱", "Zhu", 1.1), ("胡", "Hu", 1.0),
    ("郭", "Guo", 1.0), ("何", "He", 0.9), ("高", "Gao", 0.9), ("林", "Lin", 0.9), ("罗", "Luo", 0.8),
    ("郑", "Zheng", 0.8), ("梁", "Liang", 0.7), ("谢", "Xie", 0.6), ("宋", "Song", 0.5), ("唐", "Tang", 0.5),
    ("许", "Xu", 0.5), ("韩", "Han", 0.5), ("冯", "Feng", 0.4), ("邓", "Deng", 0.4), ("曹", "Cao", 0.4),
    ("彭", "Peng", 0.4), ("曾", "Zeng", 0.4), ("肖", "Xiao", 0.4), ("田", "Tian", 0.3), ("董", "Dong", 0.3),
    ("袁", "Yuan", 0.3), ("潘", "Pan", 0.3), ("于", "Yu", 0.3), ("蒋", "Jiang", 0.3), ("蔡", "Cai", 0.3),
    ("余", "Yu", 0.3), ("杜", "Du", 0.3), ("叶", "Ye", 0.3), ("程", "Cheng", 0.3), ("苏", "Su", 0.2),
    ("魏", "Wei", 0.2), ("吕", "Lyu", 0.2), ("丁", "Ding", 0.2), ("任", "Ren", 0.2), ("沈", "Shen", 0.4),
    ("姚", "Yao", 0.2), ("卢", "Lu", 0.2), ("姜", "Jiang", 0.2), ("崔", "Cui", 0.2), ("钟", "Zhong", 0.2),
    ("谭", "Tan", 0.2), ("陆", "Lu", 0.3), ("汪", "Wang", 0.2), ("范", "Fan", 0.2), ("金", "Jin", 0.2),
    ("顾", "Gu", 0.3), ("倪", "Ni", 0.1), ("钱", "Qian", 0.1), ("施", "Shi", 0.1), ("严", "Yan", 0.1),
)

#: (character, pinyin): characters of given names
GIVEN_CHARACTERS: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
    ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"),
    ("刚", "gang"),
    ("英", "ying"), ("华", "hua"), ("建", "jian"), ("国", "guo"), ("文", "wen"), ("志", "zhi"),
    ("红", "hong"),
    ("辉", "hui"), ("玲", "ling"), ("斌", "bin"), ("晨", "chen"), ("宇", "yu"), ("浩", "hao"), ("婷", "ting"),
    ("欣", "xin"), ("怡", "yi"), ("佳", "jia"), ("琳", "lin"), ("雪", "xue"), ("鹏", "peng"), ("峰", "feng"),
    ("博", "bo"), ("凯", "kai"), ("晓", "xiao"), ("海", "hai"), ("东", "dong"), ("俊", "jun"), ("颖", "ying"),
    ("慧", "hui"), ("雯", "wen"), ("倩", "qian"), ("蕾", "lei"), ("琦", "qi"), ("翔", "xiang"), ("毅", "yi"),
    ("睿", "rui"), ("哲", "zhe"), ("昊", "hao"), ("然", "ran"), ("思", "si"), ("嘉", "jia"), ("子", "zi"),
    ("涵", "han"), ("轩", "xuan"), ("诗", "shi"), ("晴", "qing"), ("悦", "yue"), ("昕", "xin"), ("卫", "wei"),
    ("民", "min"), ("春", "chun"), ("立", "li"), ("新", "xin"), ("亮", "liang"), ("永", "yong"),
    ("健", "jian"),
    ("兵", "bing"), ("荣", "rong"), ("忠", "zhong"), ("德", "de"), ("林", "lin"), ("波", "bo"),
    ("宁", "ning"),
    ("蓉", "rong"), ("燕", "yan"), ("萍", "ping"), ("云", "yun"), ("飞", "fei"), ("玉", "yu"),
    ("成", "cheng"),
)

#: (Chinese road name, pinyin) for addresses
ROADS: tuple[tuple[str, str], ...] = (
    ("科苑路", "Keyuan Road"), ("创新路", "Chuangxin Road"), ("高科路", "Gaoke Road"),
    ("金融路", "Jinrong Road"),
    ("环湖路", "Huanhu Road"), ("新元路", "Xinyuan Road"), ("云汉路", "Yunhan Road"),
    ("银河路", "Yinhe Road"),
    ("芯园路", "Xinyuan Road"), ("海港大道", "Haigang Avenue"), ("春华路", "Chunhua Road"),
    ("秋实路", "Qiushi Road"),
    ("明珠路", "Mingzhu Road"), ("兴业路", "Xingye Road"), ("振兴路", "Zhenxing Road"),
    ("博学路", "Boxue Road"),
    ("求真路", "Qiuzhen Road"), ("致远路", "Zhiyuan Road"), ("同心路", "Tongxin Road"),
    ("宏图路", "Hongtu Road"),
)

#: per organization kind: (title, English title, weight); the first is the head
TITLES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "enterprise": (
        ("董事长", "Chairman", 3), ("总经理", "General Manager", 4),
        ("副总经理", "Deputy General Manager", 3),
        ("首席技术官", "Chief Technology Officer", 1.5), ("财务总监", "Chief Financial Officer", 1.5),
        ("研发总监", "R&D Director", 1.2), ("行政总监", "Head of Administration", 0.8),
        ("市场总监", "Marketing Director", 1), ("法务总监", "General Counsel", 0.4),
    ),
    "district_government": (
        ("区长", "District Governor", 1), ("副区长", "Deputy District Governor", 3),
        ("区政府办公室主任", "Director, District Government Office", 1),
    ),
    "commission": (
        ("主任", "Director", 1), ("副主任", "Deputy Director", 2), ("处长", "Division Chief", 1.5),
        ("科长", "Section Chief", 1),
    ),
    "park_operator": (
        ("董事长", "Chairman", 1), ("总经理", "General Manager", 1),
        ("副总经理", "Deputy General Manager", 3),
        ("招商中心总监", "Director, Investment Promotion Centre", 2),
        ("企业服务中心主任", "Director, Enterprise Service Centre", 2),
        ("园区总经理", "Park General Manager", 3),
    ),
    "university": (
        ("校长", "President", 1), ("副校长", "Vice President", 2),
        ("科研处处长", "Director, Office of Research", 1),
        ("院长", "Dean", 2), ("教授", "Professor", 4),
    ),
    "hospital": (
        ("院长", "President", 1), ("副院长", "Vice President", 2), ("科主任", "Department Head", 2),
    ),
    "financial": (
        ("行长", "President", 1), ("副行长", "Vice President", 2),
        ("公司业务部总经理", "General Manager, Corporate Banking", 1.5),
        ("客户经理", "Relationship Manager", 3),
    ),
    "association": (
        ("会长", "President", 1), ("副会长", "Vice President", 2), ("秘书长", "Secretary-General", 1),
    ),
    "other": (
        ("主任", "Director", 1), ("副主任", "Deputy Director", 2),
    ),
}

#: district commissions every district has: (suffix, English suffix)
DISTRICT_COMMISSIONS: tuple[tuple[str, str], ...] = (
    ("发展和改革委员会", "Development and Reform Commission"),
    ("商务委员会", "Commission of Commerce"),
    ("科学技术委员会", "Science and Technology Commission"),
)

#: (kind, name, English name, industry code or ""): partner organizations that are not enterprises
PARTNERS: tuple[tuple[str, str, str, str], ...] = (
    ("government", "上海市经济和信息化委员会",
     "Shanghai Municipal Commission of Economy and Informatization", ""),
    ("government", "上海市商务委员会", "Shanghai Municipal Commission of Commerce", ""),
    ("government", "上海市科学技术委员会", "Science and Technology Commission of Shanghai Municipality", ""),
    ("government", "上海市规划和自然资源局",
     "Shanghai Municipal Bureau of Planning and Natural Resources", ""),
    ("government", "上海市发展和改革委员会", "Shanghai Municipal Development and Reform Commission", ""),
    ("university", "复旦大学", "Fudan University", ""),
    ("university", "上海交通大学", "Shanghai Jiao Tong University", ""),
    ("university", "同济大学", "Tongji University", ""),
    ("university", "华东师范大学", "East China Normal University", ""),
    ("university", "上海大学", "Shanghai University", ""),
    ("university", "上海科技大学", "ShanghaiTech University", ""),
    ("university", "华东理工大学", "East China University of Science and Technology", ""),
    ("university", "中国科学院上海微系统与信息技术研究所",
     "Shanghai Institute of Microsystem and Information Technology, CAS", "IC"),
    ("university", "中国科学院上海药物研究所", "Shanghai Institute of Materia Medica, CAS", "BIO"),
    ("hospital", "上海交通大学医学院附属瑞金医院",
     "Ruijin Hospital, Shanghai Jiao Tong University School of Medicine", ""),
    ("hospital", "复旦大学附属中山医院", "Zhongshan Hospital, Fudan University", ""),
    ("financial", "中国工商银行上海市分行",
     "Industrial and Commercial Bank of China, Shanghai Branch", "FIN-BANK"),
    ("financial", "中国银行上海市分行", "Bank of China, Shanghai Branch", "FIN-BANK"),
    ("financial", "中国建设银行上海市分行", "China Construction Bank, Shanghai Branch", "FIN-BANK"),
    ("financial", "交通银行上海市分行", "Bank of Communications, Shanghai Branch", "FIN-BANK"),
    ("financial", "招商银行上海分行", "China Merchants Bank, Shanghai Branch", "FIN-BANK"),
    ("financial", "上海浦东发展银行", "Shanghai Pudong Development Bank", "FIN-BANK"),
    ("financial", "上海银行", "Bank of Shanghai", "FIN-BANK"),
    ("financial", "上海农村商业银行", "Shanghai Rural Commercial Bank", "FIN-BANK"),
    ("association", "上海市集成电路行业协会", "Shanghai Integrated Circuit Industry Association", "IC"),
    ("association", "上海市生物医药行业协会", "Shanghai Biopharmaceutical Industry Association", "BIO"),
    ("association", "上海市人工智能行业协会", "Shanghai Artificial Intelligence Industry Association", "AI"),
    ("association", "上海市软件行业协会", "Shanghai Software Industry Association", "DIG"),
    ("association", "上海市外商投资协会", "Shanghai Association of Enterprises with Foreign Investment", ""),
    ("association", "上海市新能源行业协会", "Shanghai New Energy Industry Association", "NE"),
    ("other", "上海技术交易所", "Shanghai Technology Exchange", ""),
    ("other", "中国国际贸易促进委员会上海市分会", "China Council for the Promotion of International Trade, "
     "Shanghai", "TRADE"),
)

#: building names by use
BUILDING_NAMES: dict[str, tuple[str, ...]] = {
    "plant": ("厂房", "生产厂房", "标准厂房", "联合厂房"),
    "office": ("办公楼", "总部大楼", "综合办公楼"),
    "research": ("研发中心", "研发楼", "实验楼", "中试楼"),
    "warehouse": ("仓库", "物流仓库", "立体仓库"),
    "mixed": ("综合楼", "产业楼"),
    "support": ("配套楼", "动力站", "食堂"),
}
# fmt: on
