"""Word- and phrase-level alternatives applied to the literal words of a composed text.

Each entry is a list of interchangeable phrases; when a text contains one of them, it may be
replaced by another from the same list. This multiplies the ways the same complaint is worded
without new templates. Entries are generic (not tied to one category) so they add variety without
adding class cues.
"""

SYNONYMS = {
    "latn": [
        [
            "account will be blocked",
            "account will be suspended",
            "account will be frozen",
            "account will be deactivated",
            "account will be closed",
            "account will be put on hold",
        ],
        ["card is blocked", "card is suspended", "card is deactivated", "card has been blocked"],
        ["called me", "rang me", "phoned me", "gave me a call"],
        ["asked for", "wanted", "demanded", "asked me for"],
        ["fake", "fraud", "bogus", "scam"],
        ["fraudster", "scammer", "cheater", "thug", "conman"],
        ["debited", "deducted", "withdrawn", "taken out"],
        ["Please take action", "Please act", "Kindly take action", "Take strict action"],
        ["Please help", "Help please", "Need help", "Kindly help"],
        ["immediately", "right away", "at once", "urgently"],
        ["claiming to be", "pretending to be", "posing as", "saying he is"],
        ["Received", "Got"],
        ["number", "no.", "no"],
        ["every day", "daily", "everyday"],
        ["near", "close to", "next to", "opposite"],
        ["rash driving", "dangerous driving", "reckless driving"],
        ["Illegal parking", "Wrong parking", "Unauthorised parking"],
        ["kat gaye", "cut gaye", "chale gaye", "nikal gaye", "debit ho gaye"],
        ["call aaya", "phone aaya", "call aya"],
        ["fraud hai", "dhokha hai", "thagi hai", "scam hai"],
        ["madad karo", "help karo", "madad kijiye"],
        ["bol raha", "keh raha", "bata raha"],
        ["paise", "rupaye", "paisa"],
        ["roz", "daily", "har din"],
        ["gele", "gayab zale", "kaplay gele"],
        ["call aala", "phone aala"],
        ["khup", "bhayanak", "jasta"],
    ],
    "deva": [
        ["धोखाधड़ी", "ठगी", "फ्रॉड"],
        ["कॉल", "फोन"],
        ["खाता", "अकाउंट"],
        ["कट गए", "निकल गए", "चले गए", "डेबिट हो गए"],
        ["कृपया मदद करें", "मदद करें", "सहायता करें"],
        ["फर्जी", "नकली", "फेक"],
        ["रोज़", "हर दिन", "रोज"],
        ["फसवणूक", "फ्रॉड", "फसवेगिरी"],
        ["खाते", "अकाउंट"],
        ["बनावट", "खोटा", "फेक"],
        ["रोज", "दररोज", "नेहमी"],
        ["मदत करा", "मदत करावी", "कृपया मदत करा"],
    ],
}
