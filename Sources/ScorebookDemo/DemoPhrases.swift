import ScorebookCore

/// Phrase pools of the synthetic service center. Fixed arrays, so generation only picks and joins.
enum DemoPhrases {
    static let bankName = "星河银行"

    static let surnames: [String] = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)

    static let givenNames: [String] = [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超",
        "秀英", "霞", "平", "刚", "桂英", "晓东", "雪", "婷婷", "思远", "子涵", "欣怡", "浩然", "宇轩", "佳琪",
        "梓萱", "俊杰", "雨桐", "文博", "诗涵", "晨曦", "嘉怡", "一鸣", "晓燕", "海燕", "志强", "建华", "丽娟",
        "玉兰", "慧敏", "春梅", "国庆", "红霞", "小龙", "雅琴", "立新", "佳怡", "明轩", "若曦", "振宇", "天翊",
        "书瑶", "梦琪", "建军", "凤英", "永刚", "秋菊", "昊天",
    ]

    // MARK: Opening

    static func greeting(channel: Channel, workID: String) -> [String] {
        switch channel {
        case .video:
            return ["您好，这里是\(bankName)视频客服，工号\(workID)，很高兴为您服务，请问有什么可以帮您？",
                    "您好，欢迎使用\(bankName)远程视频银行，工号\(workID)为您服务，请问您需要办理什么业务？"]
        case .phone:
            return ["您好，\(bankName)客服中心，工号\(workID)为您服务，请问有什么可以帮您？",
                    "您好，很高兴为您服务，我的工号是\(workID)，请问有什么可以帮您？"]
        case .chat:
            return ["您好，\(bankName)在线客服，工号\(workID)很高兴为您服务，请问有什么可以帮您？",
                    "您好，我是在线客服专员，工号\(workID)，请问您想咨询什么业务？"]
        }
    }

    /// A greeting without the work number (or without any politeness), from careless agents.
    static let sloppyGreetings = ["喂，请讲。", "你好，什么事？", "嗯，您说。", "您好，请讲。"]

    /// The agent's acknowledgement of the request when no identity check comes first.
    static let acknowledge: [String] = ["好的，我来为您解答。", "好的，请您详细说一下您的问题。", "明白，我帮您看一下。",
                                        "好的，没问题，请问您具体想了解哪方面？"]

    // MARK: Identity verification

    static let verifyAsk: [String] = [
        "为了保障您的账户安全，请您提供一下持卡人姓名和身份证号码后四位。",
        "办理账户业务前需要先核实您的身份，请报一下您的姓名和证件号码后四位，谢谢。",
    ]
    static let verifyAskVideo = "请您将身份证正面对准摄像头，我这边核实一下您的身份，谢谢。"
    static let verifyDone: [String] = ["好的，谢谢您，身份已核实。", "感谢配合，身份信息核实无误。"]

    // MARK: Holds

    static let holdStart: [String] = ["请稍等，我这边帮您查询一下。", "请稍等，我帮您核实一下系统记录。",
                                      "好的，请您稍等片刻，我马上帮您处理。"]
    static let holdBack: [String] = ["对不起，让您久等了。", "感谢您的耐心等待。", "不好意思，让您久等了。"]

    // MARK: Risk disclosure

    static let riskDisclosure: [String] = [
        "需要提醒您，理财非存款，产品有风险，投资须谨慎，请您仔细阅读产品说明书和风险揭示书。",
        "这里跟您做个风险提示：理财非存款，产品有风险，投资须谨慎，过往业绩不代表未来表现。",
    ]

    // MARK: Forbidden phrases (服务禁语) — spoken only by careless agents.

    static let forbidden: [String] = [
        "这个我不知道，你自己看说明吧。", "这不归我管，你去找网点。", "我刚才说过了，听不懂吗？",
        "你自己看手机银行上面写着呢。", "不知道，系统就是这么规定的。",
    ]

    // MARK: Closing

    static let closingAsk = "请问还有其他可以帮您的吗？"
    static let closingAskSloppy = "还有事吗？"
    static let customerNoMore: [String] = ["没有了，谢谢。", "没有了，谢谢你啊。", "好的，没别的事了，谢谢。"]
    static let closingThanksVideo = ["感谢您使用视频客服，祝您生活愉快，再见！", "感谢您的耐心配合，再见！"]
    static let closingThanksPhone = ["感谢您的来电，祝您生活愉快，再见！", "感谢您的来电，再见！"]
    static let closingThanksChat = ["感谢您的咨询，祝您生活愉快，再见！", "感谢您的咨询，如有问题欢迎随时联系，再见！"]
    static func closingThanks(_ channel: Channel) -> [String] {
        switch channel {
        case .video: return closingThanksVideo
        case .phone: return closingThanksPhone
        case .chat: return closingThanksChat
        }
    }
    static let closingSloppy = ["好，就这样。", "行，那先这样。"]

    // MARK: Fillers, used to reach the turn count

    static let fillers: [(String, String)] = [
        ("那这个要收手续费吗？", "请放心，这项业务目前不收取手续费。"),
        ("大概多久能办好？", "正常情况下一到两个工作日内处理完成，处理结果会短信通知您。"),
        ("我在手机银行上能看到吗？", "可以的，您登录手机银行后在“我的账户”里就能查看。"),
        ("好的，那我记一下。", "好的，您慢慢记，不着急。"),
        ("你刚才说的我没太听清，能再说一遍吗？", "好的，我再跟您说一遍，您请听好。"),
        ("周末也能办吗？", "可以的，我们的线上渠道全年无休，您随时可以办理。"),
        ("会不会影响我的征信？", "请您放心，这个操作不会影响您的个人征信记录。"),
    ]
}

/// A conversation topic: what the customer wants and how the exchange goes.
struct DemoTopic {
    var name: String
    /// Account matters need identity verification first.
    var account: Bool
    /// A product is named: the agent must give the risk disclosure.
    var product: Bool
    var openers: [String]
    var exchanges: [(String, String)]
}

extension DemoPhrases {
    static let topics: [DemoTopic] = [
        DemoTopic(name: "账户查询", account: true, product: false,
                  openers: ["你好，我想查一下我卡里的余额和最近的交易明细。", "我想问一下我这张储蓄卡最近有一笔扣款是什么。"],
                  exchanges: [
                      ("就是这个月五号那笔，一百二十八块钱。", "我看到了，这笔是您绑定的快捷支付扣款，商户是一家网上商城。"),
                      ("哦，那应该是我自己买东西了。", "是的，如果您有疑问也可以联系商户核实订单。"),
                      ("那我现在余额还有多少？", "出于安全考虑，余额请您通过手机银行或短信查询，我可以指导您操作。"),
                      ("怎么开通余额变动短信提醒？", "您可以在手机银行“账户管理”里开通动账通知，每月服务费两元。"),
                      ("明细能导出吗？", "可以的，您在手机银行“交易明细”页面选择时间段即可下载电子流水。"),
                  ]),
        DemoTopic(name: "挂失", account: true, product: false,
                  openers: ["我的银行卡丢了，要赶紧挂失！", "你好，我钱包丢了，里面有张你们的借记卡，尾号６２１８。"],
                  exchanges: [
                      ("现在能马上挂失吗？我怕被人盗刷。", "可以的，我现在就帮您办理口头挂失，挂失后卡片立即止付。"),
                      ("好的，那你赶紧帮我办。", "已经为您办理口头挂失，有效期五天，请您尽快持身份证到网点办理正式挂失和补卡。"),
                      ("补卡要多少钱？", "补卡工本费一般为五元，具体以网点为准。"),
                      ("卡里的钱不会有问题吧？", "挂失之后卡片无法进行交易，您的资金是安全的，请放心。"),
                      ("我昨天晚上好像收到一条消费短信，不是我刷的。", "我帮您记录一下，已经为您提交了争议交易工单，会在三个工作日内回复您。"),
                  ]),
        DemoTopic(name: "转账限额", account: true, product: false,
                  openers: ["我用手机银行转账，提示超过限额了，这是怎么回事？", "请问我的卡一天最多能转多少钱？"],
                  exchanges: [
                      ("我要给家里转五万块钱。", "您目前使用的是短信验证码认证，单笔限额为两万元，日累计限额五万元。"),
                      ("那怎么能提高限额？", "您可以使用数字证书或者到网点调整限额，调整后单日最高可以转五十万元。"),
                      ("在手机上能调吗？", "可以在手机银行“安全中心”里调整，需要进行人脸识别验证。"),
                      ("跨行转账要手续费吗？", "通过手机银行转账，无论本行还是跨行都是免费的。"),
                      ("转过去多久能到账？", "选择实时到账的话一般几秒钟就能到，大额可能会稍有延迟。"),
                  ]),
        DemoTopic(name: "理财产品", account: false, product: true,
                  openers: ["我想了解一下你们最近有什么理财产品。", "我有一笔钱快到期了，想买点稳健一点的理财。"],
                  exchanges: [
                      ("有没有风险低一点的？", "目前有一款稳健型的一年期理财产品，风险等级为二级，业绩比较基准是百分之二点八。"),
                      ("这个保本吗？", "理财产品不保本，收益也不是固定的，业绩比较基准不代表实际收益。"),
                      ("起购金额是多少？", "这款产品一万元起购，以一千元的整数倍递增。"),
                      ("中途能不能赎回？", "这款是封闭式产品，封闭期内不能赎回，到期后自动兑付到您的账户。"),
                      ("我之前没做过风险测评。", "购买前需要先完成风险承受能力评估，您可以在手机银行里完成测评。"),
                  ]),
        DemoTopic(name: "信用卡账单", account: true, product: false,
                  openers: ["我想问一下我信用卡这个月的账单是多少。", "我的信用卡账单好像有问题，多了一笔年费。"],
                  exchanges: [
                      ("最后还款日是哪天？", "您本期账单的最后还款日是二十五号，请您按时还款，以免产生利息。"),
                      ("如果只还最低还款额呢？", "还最低还款额不会影响征信，但未还部分会从记账日起计收利息。"),
                      ("这个年费能免吗？", "这张卡一年刷卡满六次就可以免次年年费，我帮您申请一下本次年费减免。"),
                      ("能帮我办个账单分期吗？", "可以的，本期账单可以分三、六、十二期，每期手续费率不同，我跟您详细说明。"),
                      ("那就分六期吧。", "好的，已经为您提交分六期的申请，每期手续费会随本金一起在账单中列示。"),
                  ]),
        DemoTopic(name: "手机银行", account: true, product: false,
                  openers: ["我手机银行登录不上了，密码输错好几次。", "你好，我换了手机号，手机银行收不到验证码了。"],
                  exchanges: [
                      ("是不是被锁了？", "是的，密码连续输错五次会被锁定，今天零点之后会自动解锁。"),
                      ("能不能现在就帮我解锁？", "您可以在登录页面点击“忘记密码”，通过人脸识别重置登录密码。"),
                      ("手机号怎么改？", "预留手机号需要您本人持身份证到网点修改，或者在手机银行用人脸识别修改。"),
                      ("人脸识别一直失败怎么办？", "建议您在光线充足的地方，摘下眼镜和口罩再试一次。"),
                      ("好的，我试一下。", "好的，如果还有问题您随时联系我们。"),
                  ]),
        DemoTopic(name: "基金定投", account: false, product: true,
                  openers: ["我想每个月定投一点基金，怎么弄？", "听说基金定投比较好，你们这边能办吗？"],
                  exchanges: [
                      ("每个月最少投多少？", "最低每月一百元起，扣款日期可以自己选择。"),
                      ("哪个基金比较好？", "我们不能替您做投资决定，建议您根据自己的风险承受能力选择合适的产品。"),
                      ("能保证赚钱吗？", "基金投资有风险，定投不能保证收益，也不能避免亏损。"),
                      ("中途可以停吗？", "可以的，您随时可以在手机银行暂停或终止定投计划。"),
                  ]),
        DemoTopic(name: "大额存单", account: false, product: false,
                  openers: ["现在三年期的大额存单利率是多少？", "我想存一笔定期，问一下利率。"],
                  exchanges: [
                      ("起存金额是多少？", "个人大额存单二十万元起存，利率以购买当日公布的为准。"),
                      ("提前支取怎么算利息？", "大额存单可以提前支取，提前支取部分按活期利率计息。"),
                      ("在手机上能买吗？", "可以的，手机银行“存款”频道里就能购买，额度有限，售完即止。"),
                      ("普通定期利率呢？", "三年期整存整取的挂牌利率您可以在官网或手机银行查询，我把入口告诉您。"),
                  ]),
        DemoTopic(name: "网点预约", account: false, product: false,
                  openers: ["我想预约去网点换点外币。", "请问离我最近的网点周六开门吗？"],
                  exchanges: [
                      ("我要换五千美元。", "兑换外币需要提前一天预约，个人每年便利化额度为等值五万美元。"),
                      ("要带什么材料？", "请您携带本人有效身份证件，到网点取号办理即可。"),
                      ("周六几点开门？", "大部分网点周六上午九点到下午五点营业，具体请以网点公告为准。"),
                      ("能帮我预约吗？", "好的，已经为您预约了明天上午十点，到时候出示预约短信就可以。"),
                  ]),
    ]
}
