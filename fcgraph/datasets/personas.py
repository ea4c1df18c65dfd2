"""The personas the simulated user speaks as, in English and Chinese, and a loader for a user's own.

    python -m fcgraph.datasets.personas

regenerates personas.en.jsonl and personas.zh.jsonl next to this file. Every persona is composed
here from hand-written tables (occupation, organisation, technical level, writing style, goal), so the
data carries the project's Apache-2.0 licence and owes nothing to PersonaHub (non-commercial). The
Chinese phrases are written for Chinese readers, not translated word by word, which is why a few
organisations and examples are localised. A fixed seed per language makes the files byte-identical on
every run.
"""

from __future__ import annotations

import json
import random
from importlib.resources import files
from pathlib import Path
from typing import Any, NamedTuple

LANGUAGES = ("en", "zh")
STYLES = ("polite", "terse", "casual", "verbose", "non_native")  # the dialogue "tone" keys of fcgraph.sampling
LEVELS = ("novice", "comfortable", "power_user", "developer")
COUNT = 1200
SEEDS = {"en": 20260417, "zh": 20260418}
DATA_DIR = Path(__file__).parent

Phrase = tuple[str, str]  # (English, Chinese)


class Domain(NamedTuple):
    en: str
    zh_measure: str  # Chinese needs its measure word (一家/一所/一个) in the sentence, not in the record
    zh: str


class Occupation(NamedTuple):
    name: Phrase
    role: str  # how the person relates to the organisation: a key of SUBJECTS
    domains: tuple[str, ...]
    areas: tuple[str, ...]  # keys of GOALS that suit the job
    levels: tuple[str, ...]


DOMAINS: dict[str, Domain] = {
    # organisations where office roles work
    "hospital": Domain("regional hospital network", "一家", "区域医疗集团"),
    "dental_chain": Domain("chain of dental clinics", "一家", "连锁牙科诊所"),
    "law_firm": Domain("mid-sized law firm", "一家", "中型律师事务所"),
    "logistics": Domain("freight and logistics company", "一家", "货运物流公司"),
    "clothing": Domain("nationwide clothing retailer", "一家", "全国连锁服装品牌"),
    "supermarket": Domain("regional supermarket chain", "一家", "区域连锁超市"),
    "bank": Domain("community bank", "一家", "城市商业银行"),
    "insurer": Domain("insurance company", "一家", "财产保险公司"),
    "furniture": Domain("furniture manufacturer", "一家", "家具制造厂"),
    "auto_parts": Domain("auto-parts supplier", "一家", "汽车零部件供应商"),
    "startup": Domain("software start-up", "一家", "软件初创公司"),
    "saas": Domain("B2B SaaS company", "一家", "企业服务软件公司"),
    "university": Domain("public university", "一所", "省属高校"),
    "city": Domain("city council", "一个", "区政府部门"),
    "aid": Domain("international aid charity", "一家", "国际公益基金会"),
    "hotels": Domain("hotel group", "一家", "连锁酒店集团"),
    "construction": Domain("construction firm", "一家", "建筑工程公司"),
    "utility": Domain("energy utility", "一家", "供电公司"),
    "media": Domain("digital media publisher", "一家", "新媒体公司"),
    "pharma": Domain("pharmaceutical company", "一家", "制药企业"),
    "consultancy": Domain("management consultancy", "一家", "管理咨询公司"),
    "airline": Domain("regional airline", "一家", "支线航空公司"),
    "food_wholesale": Domain("food wholesaler", "一家", "食品批发公司"),
    "property": Domain("property management company", "一家", "物业管理公司"),
    "telecom": Domain("telecom operator", "一家", "电信运营商"),
    "web_store": Domain("online home-goods store", "一家", "家居电商公司"),
    "biotech": Domain("biotech research institute", "一家", "生物技术研究所"),
    "audit_firm": Domain("accounting firm", "一家", "会计师事务所"),
    "agency": Domain("digital marketing agency", "一家", "数字营销公司"),
    # small businesses, run by their owners or served by freelancers
    "bakery": Domain("family bakery", "一家", "夫妻店面包房"),
    "design_studio": Domain("two-person design studio", "一家", "两人设计工作室"),
    "dental_practice": Domain("family dental practice", "一家", "小型口腔诊所"),
    "bookshop": Domain("independent bookshop", "一家", "独立书店"),
    "bike_shop": Domain("bike repair shop", "一家", "自行车维修店"),
    "restaurant": Domain("neighbourhood restaurant", "一家", "家常菜馆"),
    "yoga": Domain("yoga studio", "一家", "瑜伽馆"),
    "jewellery": Domain("handmade-jewellery web shop", "一家", "手工饰品网店"),
    "tutoring": Domain("tutoring centre", "一家", "课外辅导机构"),
    "guesthouse": Domain("seaside guesthouse", "一家", "海边民宿"),
    # schools
    "college": Domain("community college", "一所", "职业技术学院"),
    "secondary": Domain("secondary school", "一所", "中学"),
    "primary": Domain("primary school", "一所", "小学"),
    # community groups that retirees help out
    "food_bank": Domain("neighbourhood food bank", "一家", "社区公益食堂"),
    "residents": Domain("residents' association", "一个", "小区业委会"),
    "library": Domain("public library", "一家", "社区图书馆"),
    "hiking": Domain("hiking club", "一个", "徒步俱乐部"),
    "football": Domain("youth football club", "一个", "青少年足球俱乐部"),
    "shelter": Domain("animal shelter", "一家", "流浪动物救助站"),
    "museum": Domain("local history museum", "一家", "地方博物馆"),
}

ORG = ("hospital", "dental_chain", "law_firm", "logistics", "clothing", "supermarket", "bank", "insurer",
       "furniture", "auto_parts", "startup", "saas", "university", "city", "aid", "hotels", "construction",
       "utility", "media", "pharma", "consultancy", "airline", "food_wholesale", "property", "telecom",
       "web_store", "biotech", "audit_firm", "agency")
COMMERCIAL = ("clothing", "supermarket", "furniture", "auto_parts", "startup", "saas", "hotels", "media",
              "pharma", "airline", "food_wholesale", "telecom", "web_store", "agency", "insurer", "bank")
SMALL = ("bakery", "design_studio", "dental_practice", "bookshop", "bike_shop", "restaurant", "yoga",
         "jewellery", "tutoring", "guesthouse")
CLIENTS = SMALL + ("startup", "agency", "consultancy", "aid", "media", "law_firm", "hotels", "pharma")
TECH_ORGS = ("startup", "saas", "web_store", "telecom", "bank", "media", "insurer", "airline", "agency")
SUPPLY = ("logistics", "clothing", "supermarket", "furniture", "auto_parts", "food_wholesale", "web_store", "pharma")
FACTORY = ("furniture", "auto_parts", "pharma", "food_wholesale")
REGULATED = ("bank", "insurer", "pharma", "hospital", "telecom", "utility", "airline")
HEALTH = ("hospital", "dental_chain")
RETAIL = ("clothing", "supermarket", "web_store")
SCHOOLS = ("secondary", "primary")
HIGHER = ("university", "college")
LABS = ("university", "biotech", "pharma")
COMMUNITY = ("food_bank", "residents", "library", "hiking", "football", "shelter", "museum")

ALL = LEVELS
OFFICE = ("novice", "comfortable", "power_user")
ANALYST = ("comfortable", "power_user", "developer")
TECH = ("power_user", "developer")

OCCUPATIONS: tuple[Occupation, ...] = (
    # finance
    Occupation(("payroll specialist", "薪酬专员"), "at", ORG, ("payroll", "finance", "admin"), ALL),
    Occupation(("accounts payable clerk", "应付账款会计"), "at", ORG, ("finance", "admin"), OFFICE),
    Occupation(("accounts receivable specialist", "应收账款专员"), "at", ORG, ("finance", "sales"), OFFICE),
    Occupation(("financial analyst", "财务分析师"), "at", ORG, ("finance", "data"), ANALYST),
    Occupation(("management accountant", "管理会计"), "at", ORG, ("finance", "data"), ALL),
    Occupation(("tax accountant", "税务会计"), "at", ("audit_firm",) + COMMERCIAL, ("finance", "admin"), ALL),
    Occupation(("treasury analyst", "资金分析师"), "at", COMMERCIAL, ("finance", "data"), ANALYST),
    Occupation(("internal auditor", "内审专员"), "at", ORG, ("finance", "legal", "security"), ALL),
    Occupation(("finance director", "财务总监"), "at", ORG, ("finance", "board"), OFFICE),
    Occupation(("credit analyst", "信贷审批员"), "at", ("bank",), ("finance", "data"), ANALYST),
    Occupation(("claims handler", "理赔专员"), "at", ("insurer",), ("finance", "admin"), OFFICE),
    Occupation(("procurement officer", "采购专员"), "at", ORG, ("finance", "supply"), ALL),
    # people and office
    Occupation(("HR generalist", "人事专员"), "at", ORG, ("hr", "payroll", "admin"), OFFICE),
    Occupation(("recruiter", "招聘专员"), "at", ORG + ("agency",), ("hr", "admin"), OFFICE),
    Occupation(("HR business partner", "人力资源业务伙伴"), "at", ORG, ("hr", "board"), OFFICE),
    Occupation(("training coordinator", "培训专员"), "at", ORG, ("hr", "teaching"), OFFICE),
    Occupation(("compensation and benefits analyst", "薪酬福利分析师"), "at", ORG, ("payroll", "hr", "data"), ANALYST),
    Occupation(("office manager", "行政主管"), "at", ORG + SMALL, ("admin", "hr", "finance"), ALL),
    Occupation(("executive assistant", "总经理助理"), "at", ORG, ("admin", "board"), OFFICE),
    # sales
    Occupation(("account manager", "客户经理"), "at", COMMERCIAL, ("sales", "admin"), OFFICE),
    Occupation(("sales operations analyst", "销售运营分析师"), "at", COMMERCIAL, ("sales", "data"), ANALYST),
    Occupation(("regional sales manager", "区域销售经理"), "at", COMMERCIAL, ("sales", "board"), OFFICE),
    Occupation(("inside sales representative", "电话销售"), "at", COMMERCIAL, ("sales",), OFFICE),
    Occupation(("customer success manager", "客户成功经理"), "at", TECH_ORGS, ("sales", "data"), ALL),
    Occupation(("key account manager", "大客户经理"), "at", COMMERCIAL, ("sales", "legal"), OFFICE),
    Occupation(("leasing agent", "招商专员"), "at", ("property",), ("sales", "legal"), OFFICE),
    # marketing
    Occupation(("marketing coordinator", "市场专员"), "at", ORG, ("marketing", "admin"), OFFICE),
    Occupation(("content marketer", "内容运营"), "at", COMMERCIAL, ("marketing",), ALL),
    Occupation(("social media manager", "新媒体运营"), "at", COMMERCIAL + ("aid", "university"), ("marketing", "data"), ALL),
    Occupation(("SEO specialist", "搜索优化专员"), "at", ("web_store", "agency", "media", "startup"), ("marketing", "data"), ANALYST),
    Occupation(("brand manager", "品牌经理"), "at", COMMERCIAL, ("marketing", "board"), OFFICE),
    Occupation(("event planner", "活动策划"), "at", ORG, ("marketing", "admin"), OFFICE),
    Occupation(("communications officer", "公关专员"), "at", ORG, ("marketing", "board"), OFFICE),
    Occupation(("marketing analyst", "市场分析师"), "at", COMMERCIAL, ("marketing", "data"), ANALYST),
    Occupation(("fundraising officer", "筹款专员"), "at", ("aid", "university"), ("community", "marketing", "data"), OFFICE),
    # engineering and IT
    Occupation(("backend developer", "后端开发工程师"), "at", TECH_ORGS, ("engineering", "security"), TECH),
    Occupation(("frontend developer", "前端开发工程师"), "at", TECH_ORGS, ("engineering", "data"), TECH),
    Occupation(("data engineer", "数据工程师"), "at", TECH_ORGS + ("hospital", "utility"), ("engineering", "data"), TECH),
    Occupation(("data analyst", "数据分析师"), "at", ORG, ("data", "board"), ANALYST),
    Occupation(("DevOps engineer", "运维开发工程师"), "at", TECH_ORGS, ("engineering", "security"), TECH),
    Occupation(("site reliability engineer", "网站可靠性工程师"), "at", TECH_ORGS, ("engineering", "security"), TECH),
    Occupation(("IT support technician", "技术支持专员"), "at", ORG, ("security", "admin"), ANALYST),
    Occupation(("system administrator", "系统管理员"), "at", ORG, ("security", "engineering"), TECH),
    Occupation(("security analyst", "信息安全分析师"), "at", REGULATED + TECH_ORGS, ("security", "engineering"), TECH),
    Occupation(("QA engineer", "测试工程师"), "at", TECH_ORGS, ("engineering", "data"), TECH),
    Occupation(("database administrator", "数据库管理员"), "at", TECH_ORGS + ("hospital", "university"), ("engineering", "data"), TECH),
    Occupation(("machine learning engineer", "算法工程师"), "at", TECH_ORGS + ("biotech",), ("engineering", "research"), TECH),
    Occupation(("mechanical engineer", "机械工程师"), "at", ("furniture", "auto_parts", "construction"), ("operations", "engineering"), ANALYST),
    Occupation(("civil engineer", "土木工程师"), "at", ("construction", "city", "utility"), ("operations", "legal"), ANALYST),
    Occupation(("product manager", "产品经理"), "at", TECH_ORGS, ("board", "data", "marketing"), ANALYST),
    # operations and logistics
    Occupation(("operations manager", "运营经理"), "at", ORG, ("operations", "board"), ALL),
    Occupation(("logistics coordinator", "物流协调员"), "at", SUPPLY, ("supply", "operations"), OFFICE),
    Occupation(("warehouse supervisor", "仓库主管"), "at", SUPPLY, ("supply", "operations"), OFFICE),
    Occupation(("supply chain planner", "供应链计划员"), "at", SUPPLY, ("supply", "data"), ANALYST),
    Occupation(("fleet manager", "车队主管"), "at", ("logistics", "food_wholesale", "utility"), ("operations", "supply"), OFFICE),
    Occupation(("project manager", "项目经理"), "at", ORG, ("operations", "board", "admin"), ALL),
    Occupation(("facilities manager", "后勤主管"), "at", ORG, ("operations", "admin"), OFFICE),
    Occupation(("quality manager", "质量主管"), "at", FACTORY, ("operations", "legal"), ALL),
    Occupation(("customer service team lead", "客服组长"), "at", COMMERCIAL + ("utility",), ("operations", "sales"), OFFICE),
    Occupation(("store manager", "门店店长"), "at", ("clothing", "supermarket"), ("supply", "hr", "sales"), OFFICE),
    Occupation(("merchandise planner", "商品企划"), "at", RETAIL, ("supply", "sales", "data"), ALL),
    Occupation(("e-commerce operations specialist", "电商运营"), "at", ("web_store", "clothing"), ("sales", "marketing", "data"), ALL),
    Occupation(("inventory controller", "库存管理员"), "at", SUPPLY, ("supply", "data"), ALL),
    Occupation(("front-office manager", "前厅经理"), "at", ("hotels",), ("operations", "hr", "sales"), OFFICE),
    Occupation(("revenue manager", "收益经理"), "at", ("hotels", "airline"), ("finance", "data"), ANALYST),
    Occupation(("crew scheduler", "机组排班员"), "at", ("airline",), ("payroll", "operations"), OFFICE),
    # legal and compliance
    Occupation(("paralegal", "律师助理"), "at", ("law_firm",), ("legal", "admin"), OFFICE),
    Occupation(("contracts manager", "合同管理专员"), "at", ORG, ("legal", "finance"), OFFICE),
    Occupation(("compliance officer", "合规专员"), "at", REGULATED, ("legal", "security"), ALL),
    Occupation(("in-house lawyer", "公司法务"), "at", COMMERCIAL, ("legal", "board"), OFFICE),
    Occupation(("data protection officer", "数据保护专员"), "at", REGULATED + TECH_ORGS, ("legal", "security"), ALL),
    Occupation(("records manager", "档案管理员"), "at", ("law_firm", "city", "hospital", "university"), ("legal", "admin"), OFFICE),
    # healthcare administration
    Occupation(("medical billing specialist", "医保结算专员"), "at", HEALTH + ("dental_practice",), ("health", "finance"), OFFICE),
    Occupation(("clinic manager", "门诊部主任"), "at", HEALTH, ("health", "hr", "board"), OFFICE),
    Occupation(("nurse scheduler", "护理部排班主管"), "at", ("hospital",), ("health", "payroll"), OFFICE),
    Occupation(("health records technician", "病案管理员"), "at", ("hospital",), ("health", "legal"), OFFICE),
    Occupation(("patient services coordinator", "患者服务专员"), "at", HEALTH, ("health", "admin"), OFFICE),
    # education
    Occupation(("maths teacher", "数学老师"), "at", SCHOOLS, ("teaching", "admin"), ALL),
    Occupation(("class teacher", "班主任"), "at", SCHOOLS, ("teaching",), OFFICE),
    Occupation(("deputy head teacher", "教务主任"), "at", SCHOOLS, ("teaching", "hr", "board"), OFFICE),
    Occupation(("admissions officer", "招生办老师"), "at", HIGHER, ("teaching", "data", "admin"), OFFICE),
    Occupation(("lecturer", "讲师"), "at", HIGHER, ("teaching", "research"), ALL),
    Occupation(("instructional designer", "课程设计师"), "at", HIGHER + ("tutoring",), ("teaching", "marketing"), ANALYST),
    # research
    Occupation(("lab manager", "实验室主管"), "at", LABS, ("research", "supply"), ALL),
    Occupation(("research assistant", "科研助理"), "at", LABS, ("research", "data"), ALL),
    Occupation(("postdoctoral researcher", "博士后"), "at", ("university", "biotech"), ("research", "data"), ANALYST),
    Occupation(("clinical research coordinator", "临床研究协调员"), "at", ("hospital", "pharma"), ("research", "health"), OFFICE),
    Occupation(("market researcher", "市场调研员"), "at", ("consultancy", "agency", "media", "clothing"), ("research", "marketing"), ANALYST),
    Occupation(("policy researcher", "政策研究员"), "at", ("city", "aid", "university"), ("research", "board"), ALL),
    # small business owners
    Occupation(("small-business owner", "老板"), "owner", SMALL, ("small_business", "finance"), OFFICE),
    Occupation(("co-founder", "联合创始人"), "owner", SMALL, ("small_business", "marketing"), ALL),
    Occupation(("sole trader", "个体户"), "owner", SMALL, ("small_business", "admin"), OFFICE),
    # freelancers
    Occupation(("freelance bookkeeper", "自由职业记账员"), "freelance", CLIENTS, ("finance", "small_business"), ALL),
    Occupation(("freelance translator", "自由译者"), "freelance", CLIENTS, ("translation", "admin"), ALL),
    Occupation(("freelance web developer", "自由职业网站开发者"), "freelance", CLIENTS, ("engineering", "marketing"), TECH),
    Occupation(("freelance graphic designer", "自由平面设计师"), "freelance", CLIENTS, ("marketing", "admin"), ALL),
    Occupation(("freelance copywriter", "自由撰稿人"), "freelance", CLIENTS, ("marketing", "translation"), ALL),
    Occupation(("independent IT consultant", "独立 IT 顾问"), "freelance", CLIENTS, ("security", "engineering"), TECH),
    Occupation(("virtual assistant", "远程行政助理"), "freelance", CLIENTS, ("admin", "finance"), OFFICE),
    # students and interns
    Occupation(("undergraduate studying accounting", "会计专业本科生"), "at", ("university",), ("study", "finance"), ALL),
    Occupation(("master's student in data science", "数据科学专业研究生"), "at", ("university",), ("study", "data"), TECH),
    Occupation(("PhD student in sociology", "社会学博士生"), "at", ("university",), ("study", "research"), ANALYST),
    Occupation(("nursing student", "护理专业学生"), "at", HIGHER, ("study", "health"), OFFICE),
    Occupation(("logistics student", "物流管理专业学生"), "at", ("college",), ("study", "supply"), OFFICE),
    Occupation(("MBA student", "在读 MBA 学员"), "at", ("university",), ("study", "board"), ALL),
    Occupation(("marketing intern", "市场部实习生"), "at", COMMERCIAL, ("marketing", "admin"), ALL),
    Occupation(("finance intern", "财务实习生"), "at", ORG, ("finance", "admin"), ALL),
    # retirees
    Occupation(("retired teacher", "退休教师"), "volunteer", COMMUNITY, ("community", "admin"), OFFICE),
    Occupation(("retired accountant", "退休会计"), "volunteer", COMMUNITY, ("community", "finance"), OFFICE),
    Occupation(("retired engineer", "退休工程师"), "volunteer", COMMUNITY, ("community", "admin"), ALL),
    Occupation(("retired nurse", "退休护士"), "volunteer", COMMUNITY, ("community", "admin"), OFFICE),
    Occupation(("retired civil servant", "退休公务员"), "volunteer", COMMUNITY, ("community", "admin"), OFFICE),
)

GOALS: dict[str, tuple[Phrase, ...]] = {
    "finance": (
        ("reconciling June's invoices against the purchase orders", "核对六月的发票和采购订单"),
        ("chasing invoices that went unpaid last quarter", "梳理上季度逾期未付的发票"),
        ("putting together the quarterly expense summary", "汇总本季度的费用明细"),
        ("checking expense claims for duplicates", "检查报销单里有没有重复报销"),
        ("building a cash-flow forecast for next quarter", "做下个季度的现金流预测"),
        ("matching bank statements to the ledger", "把银行流水和账本逐笔对上"),
        ("gathering figures for next year's budget", "为明年的预算收集数据"),
        ("tidying up the supplier master list", "整理供应商主数据"),
    ),
    "payroll": (
        ("reconciling June's overtime against the roster", "核对六月的加班记录和排班表"),
        ("checking this month's payslips before they go out", "复核本月待发的工资条"),
        ("working out holiday pay for part-time staff", "计算兼职员工的节假日工资"),
        ("comparing salaries against the pay bands", "对照薪酬带宽检查各岗位工资"),
    ),
    "hr": (
        ("updating the staff list after a reorganisation", "按新的组织架构更新员工花名册"),
        ("tallying everyone's remaining leave before the holidays", "统计大家节前剩余的年假"),
        ("preparing onboarding packs for new starters", "给新员工准备入职资料"),
        ("checking that every employment contract has a signed copy on file", "确认每份劳动合同都有签字版存档"),
        ("summarising feedback from exit interviews", "汇总离职面谈的反馈"),
        ("shortlisting applicants for an open position", "筛选一个空缺岗位的候选人简历"),
    ),
    "sales": (
        ("cleaning up a customer list full of duplicates", "清理一份满是重复项的客户名单"),
        ("pulling together the monthly sales report", "汇总月度销售报表"),
        ("finding which customers have stopped ordering this year", "找出今年没再下单的老客户"),
        ("ranking accounts by revenue ahead of a pipeline review", "按营收给客户排名，准备商机复盘会"),
        ("preparing a price list for a trade fair", "为展会准备一份报价单"),
        ("checking commissions against closed deals", "对照已成交订单核算销售提成"),
    ),
    "marketing": (
        ("checking the mailing list before a newsletter goes out", "把邮件名单过一遍，准备发推送"),
        ("comparing click-through rates across last month's campaigns", "对比上个月各渠道投放的点击率"),
        ("drafting a product launch announcement", "起草一份新品发布公告"),
        ("collecting customer quotes for a case study", "为客户案例收集用户评价"),
        ("planning next quarter's content calendar", "排下个季度的内容日历"),
    ),
    "board": (
        ("preparing a slide for next week's board meeting", "为下周的董事会准备一页汇报幻灯片"),
        ("summarising the quarter's key numbers for the leadership team", "为管理层汇总本季度的关键数据"),
        ("turning a long report into a one-page briefing", "把一份长报告浓缩成一页简报"),
    ),
    "security": (
        ("auditing access logs for unusual logins", "排查访问日志里的异常登录"),
        ("cleaning up accounts nobody has used in months", "清理几个月没人用过的账号"),
        ("finding which services still use an old API key", "排查哪些服务还在用旧的 API 密钥"),
        ("checking who can open the shared finance folder", "核查谁有权限打开财务共享文件夹"),
    ),
    "engineering": (
        ("tracing an error that keeps appearing in the service logs", "追查服务日志里反复出现的一个报错"),
        ("writing a migration script for the reporting database", "给报表数据库写迁移脚本"),
        ("documenting the team's deployment steps", "把团队的部署步骤整理成文档"),
        ("checking configuration files before a release", "发版前逐个检查配置文件"),
        ("tidying up a folder of half-finished scripts", "整理一个堆满半成品脚本的文件夹"),
    ),
    "data": (
        ("building a weekly KPI dashboard", "搭一个每周 KPI 看板"),
        ("merging two spreadsheets whose column names don't match", "合并两份列名对不上的表格"),
        ("turning a messy CSV export into a clean table", "把一份杂乱的 CSV 导出整理成干净的表格"),
        ("answering a one-off question from management with the sales database", "用销售数据库回答领导临时提的问题"),
        ("summarising survey results for a team meeting", "为部门例会汇总问卷结果"),
    ),
    "supply": (
        ("checking stock levels against reorder points", "对照补货线检查库存"),
        ("tracking late shipments from one carrier", "追踪某家承运商的延误发货"),
        ("comparing supplier lead times", "比较各家供应商的交货周期"),
        ("reconciling the stock count with the system", "把盘点结果和系统库存对上"),
    ),
    "operations": (
        ("preparing the monthly operations review", "准备月度运营复盘材料"),
        ("looking for recurring faults in the maintenance log", "翻维修记录找反复出现的故障"),
        ("planning next week's rota", "排下周的值班表"),
        ("tracking overdue actions from the last site inspection", "跟进上次现场检查留下的整改项"),
    ),
    "legal": (
        ("listing the contracts that renew next quarter", "梳理下个季度要续签的合同"),
        ("removing personal data from documents before sharing them", "删掉文件里的个人信息，准备对外发送"),
        ("building a timeline of correspondence for a dispute", "为一起纠纷整理往来函件的时间线"),
        ("checking stored files against the data-retention policy", "对照数据保留制度清查存档文件"),
        ("comparing two versions of a supplier agreement", "比对一份供应商协议的两个版本"),
    ),
    "admin": (
        ("sorting out a shared drive that has grown out of control", "整理一个已经乱成一团的共享盘"),
        ("writing up the minutes of Monday's meeting", "整理周一会议的纪要"),
        ("finding the latest version of a policy document", "找出一份制度文件的最新版本"),
        ("renaming a folder of scanned documents consistently", "把一文件夹的扫描件统一重命名"),
        ("budgeting for a team away day", "为部门团建做预算"),
    ),
    "health": (
        ("checking insurance claims rejected last month", "核查上个月被退回的医保结算单"),
        ("drawing up next month's nursing rota", "排下个月的护理班表"),
        ("counting missed appointments by clinic", "按科室统计患者爽约的情况"),
        ("merging duplicate patient records", "合并重复建档的患者信息"),
    ),
    "teaching": (
        ("compiling end-of-term marks", "汇总期末成绩"),
        ("preparing a reading list for next term", "为下学期准备阅读书目"),
        ("tracking attendance across several classes", "统计几个班的出勤情况"),
        ("organising materials for a new course", "为一门新课整理课件"),
    ),
    "research": (
        ("cleaning survey data before analysis", "清洗问卷数据，为分析做准备"),
        ("organising references for a grant application", "为基金申请整理参考文献"),
        ("logging the samples in the lab freezer", "登记实验室冰箱里的样本"),
        ("reproducing a colleague's analysis from their notes", "照着同事的笔记复现一份分析"),
        ("checking a dataset for missing values", "检查数据集里的缺失值"),
    ),
    "study": (
        ("analysing data for a thesis chapter", "为毕业论文的一章分析数据"),
        ("organising revision notes before exams", "整理考前复习笔记"),
        ("assembling a group project report", "拼一份小组作业报告"),
        ("tracking internship applications in a spreadsheet", "用表格跟踪实习申请的进度"),
    ),
    "community": (
        ("updating the membership list", "更新会员名单"),
        ("balancing the accounts for the annual general meeting", "为年度大会核对账目"),
        ("drawing up next month's volunteer rota", "排下个月的志愿者值班表"),
        ("writing the members' newsletter", "给会员写一期通讯"),
        ("tallying this year's donations", "统计今年收到的捐赠"),
    ),
    "small_business": (
        ("working out which products actually make money", "算清楚哪些产品真正赚钱"),
        ("getting the year-end paperwork ready for the accountant", "准备年底要交给会计的材料"),
        ("updating prices after a supplier increase", "根据供应商涨价调整售价"),
        ("sorting out bookings for the holiday season", "整理节假日的客人预订"),
        ("comparing this year's sales with last year's", "对比今年和去年的销售额"),
    ),
    "translation": (
        ("checking a translated price list against the original", "对照原文校对一份翻译好的价目表"),
        ("building a glossary from past translations", "从以往的译稿里整理术语表"),
    ),
}

TECH_PHRASES: dict[str, tuple[Phrase, ...]] = {
    "novice": (
        ("new to anything beyond email and a web browser", "除了收发邮件和上网，对电脑不太在行"),
        ("not very confident with computers", "对电脑操作没什么把握"),
        ("used to paper forms and wary of spreadsheets", "习惯了纸质表格，对电子表格有点发怵"),
    ),
    "comfortable": (
        ("comfortable with spreadsheets but new to SQL", "电子表格用得顺手，但没接触过 SQL"),
        ("at home in Word and Excel but wary of scripts", "Word 和 Excel 都熟，一看到脚本就头疼"),
        ("handy with everyday office software", "常用的办公软件都会用"),
    ),
    "power_user": (
        ("fluent in pivot tables, macros and keyboard shortcuts", "透视表、宏和快捷键样样精通"),
        ("quick with complicated spreadsheet formulas", "复杂的表格公式信手拈来"),
        ("happy to write a VLOOKUP or a quick SQL query", "写个 VLOOKUP 或简单的 SQL 查询不在话下"),
    ),
    "developer": (
        ("at ease with Python, SQL and the command line", "Python、SQL 和命令行都用得得心应手"),
        ("fluent in Python and used to reading logs", "熟悉 Python，看日志是家常便饭"),
        ("quick to script anything done more than twice", "凡是要做两遍以上的事都习惯写个脚本"),
    ),
}

STYLE_PHRASES: dict[str, tuple[Phrase, ...]] = {
    "polite": (
        ("writes polite, carefully worded requests", "说话客气周到"),
        ("always asks courteously", "措辞礼貌，总不忘说“请”和“谢谢”"),
        ("writes in a courteous, slightly formal tone", "写消息客客气气，很讲礼数"),
    ),
    "terse": (
        ("writes tersely", "写消息惜字如金"),
        ("keeps every message to a line or two", "说话简短直接，从不多说一句"),
        ("writes short, clipped messages", "消息往往只有一两句话"),
    ),
    "casual": (
        ("writes casually", "说话随意，爱用口语"),
        ("writes in a relaxed, chatty way", "聊天风格轻松随便"),
        ("types the way they talk", "打字跟平时说话一样随性"),
    ),
    "verbose": (
        ("tends to write long, detailed messages", "写消息总是长篇大论"),
        ("explains the full background in every message", "习惯把前因后果讲得清清楚楚"),
        ("writes at length", "每次都要把背景交代得很详细，还常常跑题"),
    ),
    "non_native": (
        ("writes English as a second language", "中文不是母语，用词偶尔不太地道"),
        ("is still polishing their English", "汉语是后来学的，表达有时有点生硬"),
        ("writes careful but not quite native English", "中文还在学习中，句子偶尔不太通顺"),
    ),
}

SUBJECTS: dict[str, Phrase] = {  # how "occupation" and "organisation" join, per role
    "at": ("{a} {occupation} at {organisation}", "{organisation}的{occupation}"),
    "owner": ("{a} {occupation} running {organisation}", "经营{organisation}的{occupation}"),
    "freelance": ("{a} {occupation} contracting for {organisation}", "与{organisation}长期合作的{occupation}"),
    "volunteer": ("{a} {occupation} volunteering with {organisation}", "在{organisation}帮忙的{occupation}"),
}
TEMPLATES: tuple[Phrase, ...] = (
    ("{subject}, {tech}, who {style} and is {goal}.", "{subject}，{tech}，{style}，正在{goal}。"),
    ("{subject} who {style}. {Tech}, they are currently {goal}.", "{subject}，{style}。{tech}，这几天在{goal}。"),
)


def _text(phrase: Phrase, language: str) -> str:
    return phrase[LANGUAGES.index(language)]


def _with_article(noun: str) -> str:
    """English needs a/an by sound, not spelling: "an HR generalist", "a university"."""
    first = noun.split()[0].split("-")[0]
    if len(first) > 1 and first.isupper():
        vowel_sound = first[0] in "AEFHILMNORSX"
    else:
        vowel_sound = first[0].lower() in "aeiou" and not first.lower().startswith(("uni", "use", "eu", "one"))
    return f"{'an' if vowel_sound else 'a'} {noun}"


def _organisation(domain: Domain, language: str) -> tuple[str, str]:
    """The organisation as the record names it and as the sentence says it."""
    if language == "en":
        return domain.en, _with_article(domain.en)
    return domain.zh, domain.zh_measure + domain.zh


def _compose_one(rng: random.Random, occupation: Occupation, style: str, language: str) -> dict[str, str]:
    domain, spoken_domain = _organisation(DOMAINS[rng.choice(occupation.domains)], language)
    level = rng.choice(occupation.levels)
    goal = _text(rng.choice([goal for area in occupation.areas for goal in GOALS[area]]), language)
    tech = _text(rng.choice(TECH_PHRASES[level]), language)
    name = _text(occupation.name, language)
    article = _with_article(name).split()[0].capitalize() if language == "en" else ""
    subject = _text(SUBJECTS[occupation.role], language).format(a=article, occupation=name, organisation=spoken_domain)
    text = _text(rng.choice(TEMPLATES), language).format(
        subject=subject, tech=tech, Tech=tech[0].upper() + tech[1:], goal=goal,
        style=_text(rng.choice(STYLE_PHRASES[style]), language))
    return {"persona": text, "occupation": name, "domain": domain, "technical_level": level, "style": style,
            "goal": goal, "language": language}


def compose_personas(language: str, count: int = COUNT) -> list[dict[str, str]]:
    """Distinct personas; occupations are dealt in shuffled rounds and styles in turn so both stay balanced."""
    rng = random.Random(SEEDS[language])
    personas: list[dict[str, str]] = []
    seen: set[str] = set()
    deck: list[Occupation] = []
    while len(personas) < count:
        if not deck:
            deck = list(OCCUPATIONS)
            rng.shuffle(deck)
        occupation = deck.pop()
        persona = _compose_one(rng, occupation, STYLES[len(personas) % len(STYLES)], language)
        if persona["persona"] not in seen:
            seen.add(persona["persona"])
            personas.append(persona)
    return personas


def render_personas(language: str) -> str:
    """The exact text of a shipped file, so a test can compare it byte for byte."""
    return "".join(json.dumps(persona, ensure_ascii=False) + "\n" for persona in compose_personas(language))


def write_personas(out_dir: Path) -> list[Path]:
    written = []
    for language in LANGUAGES:
        path = out_dir / f"personas.{language}.jsonl"
        path.write_bytes(render_personas(language).encode("utf-8"))
        written.append(path)
    return written


class PersonaFileError(ValueError):
    """A persona file that cannot be used; the message names the file and, for a bad line, the line."""


def _parse_line(line: str, source: str, number: int) -> dict[str, Any]:
    where = f"{source}, line {number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise PersonaFileError(f"{where}: not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise PersonaFileError(f"{where}: expected a JSON object like {{\"persona\": \"...\"}}, got {type(record).__name__}")
    persona = record.get("persona")
    if not isinstance(persona, str) or not persona.strip():
        raise PersonaFileError(f"{where}: needs a non-empty string \"persona\"")
    record["persona"] = persona.strip()
    if record.get("style") not in STYLES:
        record.pop("style", None)  # an unknown style would reach the dialogue as a tone nobody handles
    return record


def parse_personas(text: str, source: str) -> list[dict[str, Any]]:
    """Records of a JSONL text; a repeated persona is dropped so it does not get twice the sampling weight."""
    personas: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            record = _parse_line(line, source, number)
            if record["persona"] not in seen:
                seen.add(record["persona"])
                personas.append(record)
    if not personas:
        raise PersonaFileError(f"{source}: no personas found (expected one JSON object with a \"persona\" per line)")
    return personas


def load_personas(language: str = "en", path: Path | None = None) -> list[dict[str, Any]]:
    """The shipped personas of `language`, or the user's own JSONL file at `path` (PersonaHub's shape).

    The shipped files are read as package resources so this works from an installed wheel.
    """
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PersonaFileError(f"{path}: persona file not found") from None
        except (OSError, UnicodeDecodeError) as error:
            raise PersonaFileError(f"{path}: cannot read persona file ({error})") from None
        return parse_personas(text, str(path))
    if language not in LANGUAGES:
        raise ValueError(f"no shipped personas for language {language!r}; choose one of {', '.join(LANGUAGES)}")
    name = f"personas.{language}.jsonl"
    return parse_personas(files("fcgraph.datasets").joinpath(name).read_text(encoding="utf-8"), name)


if __name__ == "__main__":
    for written in write_personas(DATA_DIR):
        print(f"wrote {written}")
