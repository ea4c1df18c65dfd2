"""The simulator's wording per language, apart from the grammar's structure.

English wordings live beside their intents in grammar.py; this module holds the other languages,
keyed by tool name (intents), tool pair (chains) and English wording (questions), plus the phrases
the simulated agents wrap requests and replies in. Slots ({path}, {n}, ...) are the same in every
language, so a request reads back to the same call whatever language it was written in.
"""

from __future__ import annotations

ZH_INTENTS: dict[str, str] = {
    "list_directory": "列出 {path} 文件夹里有哪些内容",
    "directory_tree": "给我看一下 {path} 下面的目录结构",
    "find_files": "在工作区里找出所有 {pattern} 文件",
    "file_info": "告诉我 {path} 的大小和最后修改时间",
    "read_file": "把 {path} 的内容给我看看",
    "head_file": "给我看 {path} 的前 {n} 行",
    "tail_file": "给我看 {path} 的最后 {n} 行",
    "write_file": "新建一个文件 {path}，内容是 {content}",
    "append_to_file": "在 {path} 末尾追加一行 {content}",
    "copy_file": "把 {source} 复制一份，命名为 {destination}",
    "move_file": "把 {source} 移动到 {destination}",
    "delete_file": "从工作区删除 {path}",
    "make_directory": "新建一个名为 {path} 的文件夹",
    "file_hash": "计算 {path} 的 {algorithm} 校验值",
    "largest_files": "列出 {path} 下最大的 {limit} 个文件",
    "count_lines_words": "统计 {path} 的行数和词数",
    "search_text": "找出 {path} 中提到 {query} 的行",
    "grep_files": "在所有文件里搜索单词 {pattern}",
    "replace_text": "把 {path} 里所有的 {old} 替换成 {new}",
    "word_frequency": "告诉我 {path} 中出现最多的 {top_n} 个词",
    "extract_emails": "列出 {path} 里出现的邮箱地址",
    "extract_dates": "列出 {path} 里提到的日期",
    "csv_columns": "告诉我 {path} 有哪些列",
    "csv_preview": "预览 {path} 的前 {n} 条记录",
    "csv_column_stats": "给出 {path} 中 {column} 列的汇总统计",
    "csv_filter_rows": "显示 {path} 中 {column} 大于 {value} 的行",
    "csv_sort": "把 {path} 按 {column} 从高到低排序，显示前 {limit} 条",
    "csv_group_sum": "在 {path} 中按 {group_by} 汇总 {value_column} 列的合计",
    "csv_unique_values": "列出 {path} 中 {column} 的所有不同取值",
    "csv_to_json": "把 {path} 转成 JSON 并保存为 {output_path}",
    "json_keys": "告诉我 {path} 包含哪些顶层键",
    "json_get": "给我看 {path} 中 {pointer} 下存的值",
    "json_set": "在 {path} 里添加字段 {pointer}，值为 {value}",
    "json_validate": "检查 {path} 是不是有效的 JSON",
    "json_search_key": "找出 {path} 中所有的 {key} 字段",
    "sqlite_list_tables": "告诉我 {db_path} 里有哪些表",
    "sqlite_describe_table": "描述一下 {db_path} 中 {table} 表的各列",
    "sqlite_count_rows": "统计 {db_path} 中 {table} 表的行数",
    "sqlite_table_preview": "给我看 {db_path} 中 {table} 表的前 {n} 行",
    "sqlite_query": "在 {db_path} 上执行 SQL 查询 {sql}",
    "sqlite_insert_row": "往 {db_path} 的 {table} 表里添加一行 {values}",
}

ZH_CHAINS: dict[tuple[str, str], str] = {
    ("find_files", "head_file"): "找出 {pattern} 文件，然后给我看找到的第一个文件的前几行",
    ("find_files", "csv_columns"): "在 {path} 下找出 CSV 文件，并告诉我第一个文件有哪些列",
    ("largest_files", "file_info"): "找出 {path} 下最大的文件，然后告诉我它最后一次修改的时间",
    ("grep_files", "count_lines_words"): "找出哪个文件提到了 {pattern}，并统计它的词数",
    ("csv_columns", "csv_column_stats"): "先查一下 {path} 有哪些列，再给出最后一列的统计信息",
    ("csv_columns", "csv_unique_values"): "查看 {path} 的列，并列出第一列的所有不同取值",
    ("json_keys", "json_get"): "列出 {path} 的顶层键，然后给我看第一个键的值",
    ("sqlite_list_tables", "sqlite_count_rows"): "列出 {db_path} 中的表，然后统计第一张表的行数",
    ("sqlite_list_tables", "sqlite_describe_table"): "查一下 {db_path} 里有哪些表，再描述最后一张表的各列",
}

ZH_QUESTIONS: dict[str, tuple[str, str]] = {  # English wording -> (Chinese wording, Chinese answer)
    "explain the difference between a CSV file and an Excel workbook": (
        "解释一下 CSV 文件和 Excel 工作簿有什么区别",
        "CSV 是纯文本：每行一条记录，值用逗号分隔，没有格式和公式。Excel 工作簿是压缩的 XML 格式，"
        "可以包含多个工作表、数据类型、公式和样式。"),
    "tell me why someone would keep data in SQLite instead of CSV files": (
        "说说为什么有人会用 SQLite 而不是 CSV 文件来存数据",
        "SQLite 在一个文件里提供有类型的列、索引、约束，以及可以跨多张相关表执行的 SQL 查询；"
        "CSV 更容易分享，但没有类型、没有关联，也没有查询引擎。"),
    "tell me what a SHA-256 checksum says about a file": (
        "告诉我 SHA-256 校验值能说明文件的什么",
        "它是文件字节内容的指纹：两个文件的 SHA-256 相同，基本可以认为完全一样；文件有任何改动，校验值都会变化。"
        "它并不说明文件内容的含义。"),
    "suggest how I should name files so that they sort by date": (
        "建议一下怎样给文件命名才能按日期排序",
        "把日期放在最前面，用 ISO 格式“年-月-日”（例如 2024-06-30_report.md），这样在任何文件管理器里都会按时间排列。"
        "避免空格，并统一使用一种分隔符。"),
    "explain the difference between JSON and YAML": (
        "解释一下 JSON 和 YAML 的区别",
        "两者都用来描述嵌套数据。JSON 更严格、面向机器（引号、花括号、不支持注释）；YAML 是 JSON 的超集，"
        "面向人阅读，用缩进表示结构并支持注释，也因此更容易写错。"),
    "tell me when the median is a better summary than the mean": (
        "告诉我什么时候中位数比平均数更适合做概括",
        "当数据偏斜或有离群值时，比如工资或订单金额：一个特别大的值会拉高平均数，而中位数始终是中间的那个观测值。"),
    "explain what a WARN line in a log means compared with an ERROR line": (
        "解释一下日志里的 WARN 行和 ERROR 行有什么不同",
        "WARN 表示程序遇到了意外情况但已经处理，工作还在继续；ERROR 表示某个操作失败了。警告值得检查，错误通常需要处理。"),
    "explain what a primary key in a database table is": (
        "解释一下数据库表里的主键是什么",
        "主键是一列或几列的组合，它的值能唯一标识每一行且不能为空；其他表通过外键引用这些行。"),
}

# how a request is wrapped, per language and tone; the first turn introduces, later turns follow up
TONES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "polite": ("Hello! Could you please {body}? Thank you very much.", "Good morning. Would you kindly {body}? Many thanks."),
        "terse": ("{Body}.", "Need this: {body}."),
        "casual": ("hey, can you {body}? thanks!", "quick one: {body}, please :)"),
        "verbose": ("I'm {persona}, and I'm in the middle of tidying up our shared files. Could you {body}? "
                    "I'd appreciate a short summary of what you find, since I'll pass it on to my team.",),
        "non_native": ("Hello, please can you {body}? Thank you for the help.", "I want that you {body}, please."),
    },
    "zh": {
        "polite": ("您好！麻烦您{body}，谢谢！", "早上好，能否请您{body}？非常感谢。"),
        "terse": ("{body}。", "需要：{body}。"),
        "casual": ("嘿，帮我{body}呗，谢啦！", "问一下：{body}，多谢 :)"),
        "verbose": ("我是{persona}，正在整理我们共享的文件。能不能请你{body}？希望最后给我一个简短的总结，我要转给团队。",),
        "non_native": ("你好，请你可以{body}吗？谢谢你的帮助。", "我想要你{body}，请。"),
    },
}
FOLLOW_UPS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "polite": ("Thank you. Could you also {body}?",),
        "terse": ("Next: {body}.",),
        "casual": ("cool, now can you {body}?",),
        "verbose": ("Thanks, that helps a lot. Next I'd like you to {body}; a short summary is enough.",),
        "non_native": ("Thank you. Now please can you {body}?",),
    },
    "zh": {
        "polite": ("谢谢。能否再请您{body}？",),
        "terse": ("下一个：{body}。",),
        "casual": ("好嘞，再帮我{body}吧？",),
        "verbose": ("谢谢，这很有帮助。接下来我想请你{body}，简单总结一下就好。",),
        "non_native": ("谢谢你。现在请你可以{body}吗？",),
    },
}
CONNECTORS = {"en": (", and also ", "; at the same time, ", ", and "), "zh": ("，另外再", "；同时", "，还有")}

VAGUE_FILE = {"en": "my {hint} file", "zh": "我的{hint}文件"}
ANSWERS = {"en": ("It's {value}.", "The file is {value}.", "You can find it at {value}."),
           "zh": ("在 {value}。", "文件是 {value}。", "路径是 {value}。")}
NUDGES = {
    "en": ("You haven't actually checked that yet. Please use the tools to do it.",
           "That doesn't look like the real result. Could you run the tools and tell me what they return?"),
    "zh": ("你还没有真正检查过，请用工具去做。", "这看起来不像真实的结果。能不能运行工具，告诉我它们返回了什么？"),
}

# the assistant's own phrases
REPLIES = {
    "en": {
        "chat": "Happy to help. What would you like me to do with your files?",
        "refuse": "I'm sorry, but none of the tools available to me can {task}. I can't do that in this session; "
                  "if a suitable tool becomes available I can try again.",
        "ask": "Could you tell me the exact path of your {hint} file? I need it to {task}.",
        "found": "Here is what I found.",
        "nothing": "I could not get a usable result from the tools for this request.",
        "empty": "(nothing)",
        "total": "... ({count} in total)",
    },
    "zh": {
        "chat": "很乐意帮忙。需要我对你的文件做些什么？",
        "refuse": "抱歉，我现有的工具都无法{task}，所以这次没法完成；如果之后有合适的工具，我可以再试。",
        "ask": "能告诉我你的{hint}文件的完整路径吗？我需要它来{task}。",
        "found": "查到的结果如下。",
        "nothing": "我没能从工具得到可用的结果。",
        "empty": "（无）",
        "total": "……（共 {count} 项）",
    },
}
