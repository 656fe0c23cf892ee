/*
 * auth_common.h — common passwords refused by the password policy
 * (auth_password_check in auth.c; included there only).
 *
 * Where such lists come from: the passwords people actually choose, as
 * counted in the public password dumps of past breaches — for example the
 * UK National Cyber Security Centre's "100,000 most used passwords" (from
 * Have I Been Pwned's Pwned Passwords), the SecLists collections, and the
 * lists NIST SP 800-63B asks verifiers to check new passwords against. This
 * is a hand-picked subset of the most frequent entries and patterns, kept in
 * the binary so the check needs no network or file. Nothing is fetched.
 *
 * Entries are lower case and compared case-insensitively. The policy also
 * compares the password with its digits and punctuation stripped from both
 * ends ("Summer2024!" -> "summer"), so a base word here covers its
 * "simple suffix" variants: that is why short words appear although every
 * accepted password has at least AUTH_PASSWORD_MIN characters.
 */
#ifndef SH_APP_AUTH_COMMON_H
#define SH_APP_AUTH_COMMON_H

static const char *const auth_common_passwords[] = {
    /* the perennial top of every list, and their suffixed forms */
    "password", "passw0rd", "p@ssword", "p@ssw0rd", "pa55word", "pa55w0rd", "passwort",
    "password1", "password12", "password123", "password1234", "password12345",
    "password123456", "password1234567", "password123!", "password!", "mypassword",
    "mypassword123", "passwordpassword", "password password", "newpassword",
    "newpassword123", "changeme", "changeme123", "changemenow", "changethis",
    "temppassword", "temporarypassword", "defaultpassword", "secretpassword", "secret",
    "topsecret", "supersecret", "supersecretpassword", "nopassword", "mysecret",
    "letmein", "letmein123", "letmein1234", "letmeinnow", "letmeinplease", "openup",
    "opensesame", "open sesame", "welcome", "welcome1", "welcome123", "welcome1234",
    "welcomehome", "welcome to the jungle", "hello", "hello123", "helloworld",
    "hello world", "hellothere", "hiya", "goodbye", "access", "accessgranted",
    "accessdenied", "login", "login123", "logmein", "signin", "admin", "admin123",
    "admin1234", "administrator", "administrator1", "root", "rootpassword", "superuser",
    "sysadmin", "guest", "guest123", "user", "user1234", "username", "default",
    "test", "test1234", "testtest", "testing", "testing123", "testpassword", "demo",
    "trustno1", "trustnoone", "whatever", "whatever123", "nothing", "anything",
    "something", "everything", "iloveyou", "iloveyou1", "iloveyou123", "iloveyou1234",
    "iloveyou2", "iloveyouforever", "i love you", "loveyou", "lovelove", "loveme",
    "lovely", "love", "lover", "mylove", "forever", "foreverandever", "always",
    "truelove", "sweetheart", "babygirl", "babyboy", "princess", "prince", "angel",
    "angels", "blessed", "faith", "jesus", "jesuschrist", "jesus loves me", "godisgood",
    "godbless", "christ", "heaven", "freedom", "liberty", "peace", "happiness",
    "happy", "happyday", "happydays", "sunshine", "rainbow", "butterfly", "flower",
    "flowers", "beautiful", "smile", "friends", "bestfriend", "family", "mummy",
    "mommy", "mother", "father", "daddy", "children", "mychildren", "myfamily",
    /* keyboard walks and number runs */
    "qwerty", "qwerty123", "qwerty1234", "qwerty12345", "qwerty123456", "qwertyui",
    "qwertyuiop", "qwertyuiop123", "qwertyuiopasdfghjkl", "qwertz", "qwertzuiop",
    "azerty", "azertyuiop", "asdf", "asdfgh", "asdfghjk", "asdfghjkl", "asdfasdf",
    "asdfghjkl;", "zxcvbn", "zxcvbnm", "zxcvbnm123", "qazwsx", "qazwsxedc",
    "qazwsxedcrfv", "1qaz2wsx", "1qaz2wsx3edc", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y",
    "q1w2e3r4", "q1w2e3r4t5", "q1w2e3r4t5y6", "zaq12wsx", "zaq1zaq1", "!qaz2wsx",
    "abc123", "abcd1234", "abcdef", "abcdefg", "abcdefgh", "abcdefghijkl",
    "abcdefghijklmnop", "abcabcabc", "aaaaaa", "aaaaaaaaaaaa", "abc123abc123",
    "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910",
    "123456789012", "1234567890123", "0987654321", "098765432109", "987654321",
    "111111", "111111111111", "000000", "000000000000", "123123", "123123123123",
    "121212", "121212121212", "123321", "654321", "112233", "11223344", "112233445566",
    "123qwe", "123qweasd", "123qweasdzxc", "qwe123", "qweasd", "qweasdzxc", "1a2b3c",
    "a1b2c3", "a1b2c3d4", "a1b2c3d4e5f6", "1234qwer", "1234abcd", "abcd4321",
    "147258369", "159753", "159357", "741852963", "789456123", "147852369", "963852741",
    "password qwerty", "qwertyqwerty", "asdfqwer", "zxcvasdfqwer",
    /* sport, film, music and games */
    "football", "football1", "soccer", "baseball", "basketball", "hockey", "rugby",
    "cricket", "tennis", "golfer", "liverpool", "liverpoolfc", "chelsea", "chelseafc",
    "arsenal", "arsenalfc", "manchester", "manchesterunited", "manutd", "mancity",
    "tottenham", "everton", "newcastle", "leeds", "leedsunited", "westham", "celtic",
    "rangers", "barcelona", "realmadrid", "juventus", "ronaldo", "messi", "beckham",
    "superman", "batman", "spiderman", "ironman", "superhero", "starwars", "darthvader",
    "skywalker", "jedi", "startrek", "harrypotter", "hogwarts", "gandalf", "frodo",
    "pokemon", "pikachu", "minecraft", "fortnite", "roblox", "zelda", "mario",
    "nintendo", "playstation", "xbox", "xbox360", "gamer", "matrix", "terminator",
    "metallica", "slipknot", "nirvana", "beatles", "eminem", "oasis", "coldplay",
    "rockstar", "rocknroll", "guitar", "music", "musiclover", "dancer", "disney",
    /* animals, names and the usual nouns */
    "monkey", "monkey123", "dragon", "dragon123", "dragons", "tiger", "lion", "wolf",
    "eagle", "falcon", "shark", "dolphin", "penguin", "panda", "bear", "horse",
    "horses", "puppy", "kitten", "doggie", "mydog", "mycat", "cat", "dog", "chicken",
    "michael", "jennifer", "jessica", "ashley", "amanda", "charlie", "thomas", "daniel",
    "andrew", "joshua", "matthew", "robert", "jordan", "jordan23", "hunter", "george",
    "harry", "oliver", "jack", "sophie", "emily", "olivia", "chloe", "lucy", "samantha",
    "elizabeth", "victoria", "william", "james", "david", "richard", "anthony", "nicole",
    "shadow", "master", "mustang", "ranger", "killer", "ninja", "pepper", "ginger",
    "cheese", "cookie", "chocolate", "banana", "apple", "orange", "strawberry",
    "computer", "internet", "samsung", "google", "facebook", "linkedin", "microsoft",
    "windows", "iphone", "android", "mercedes", "ferrari", "porsche", "corvette",
    "harley", "yamaha", "silver", "golden", "diamond", "blue", "purple", "yellow",
    "midnight", "thunder", "lightning", "phoenix", "matrix123", "summit", "genius",
    "legend", "champion", "winner", "success", "money", "cashmoney", "moneymaker",
    "business", "office", "company", "starbucks", "coffee", "beer",
    "whisky", "vodka", "party", "letsgo", "fuckyou", "fuckoff", "asshole", "bitch",
    "sexy", "hottie", "naughty", "pussy", "biteme", "blowme", "iwantu",
    /* seasons, months, days: with a year these are the classic work passwords */
    "spring", "summer", "autumn", "fall", "winter", "christmas", "merrychristmas",
    "happynewyear", "newyear", "easter", "halloween", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "weekend", "holiday", "holidays", "summertime", "wintertime",
    "summer2024", "summer2025", "summer2026", "winter2025", "winter2026", "spring2026",
    "autumn2025", "autumn2026",
    /* places, and the words of this service's own world */
    "london", "england", "britain", "unitedkingdom", "scotland", "wales", "ireland",
    "manchester1", "birmingham", "liverpool1", "yorkshire", "lancashire", "northfield",
    "america", "canada", "australia", "france", "paris", "newyork", "california",
    "council", "citycouncil", "countycouncil", "localauthority", "nhs", "nhsnhs",
    "nhspassword", "hospital", "doctor", "nurse", "health", "healthcare", "social",
    "socialcare", "socialworker", "school", "schoolpassword", "teacher", "student",
    "education", "send", "sendhub", "sendhubpassword", "sencos", "senco", "ehcp",
    "ehcplan", "childrensservices", "caseworker", "coordinator", "manager",
    "inspector", "ofsted", "employee", "staff", "workpassword", "mywork", "work",
    "company123", "office365", "outlook", "gmail", "hotmail", "yahoo", "email",
    /* phrases people think are strong */
    "correcthorsebatterystaple", "correct horse battery staple",
    "thequickbrownfox", "the quick brown fox", "thequickbrownfoxjumpsoverthelazydog",
    "the quick brown fox jumps over the lazy dog", "iamthebest", "iamgod", "iamgreat",
    "youcantguessit", "youwillneverguess", "guessme", "guessthis", "cantremember",
    "idontknow", "dontknow", "forgotten", "forgotmypassword", "ihatethis",
    "ihatepasswords", "letmeinplease123", "pleaseletmein", "thisismypassword",
    "this is my password", "mypasswordispassword", "passwordis", "nopasswordneeded",
    "stayhome", "staysafe", "blacklivesmatter", "makeamericagreatagain",
    "liveforever", "livelaughlove", "carpediem", "yolo", "justdoit", "nevergiveup",
    "believe", "imagine", "dreams", "dreamer", "onelove", "allstar", "godzilla",
    "whatsup", "wassup", "letmein now", "let me in", "iloveyoutoo", "iloveyoumore",
    "ilovemymum", "ilovemymom", "ilovemydog", "ilovemycat", "ilovemyfamily",
    "ilovemusic", "ilovegod", "ilovejesus", "iloveu", "loveu", "kisses",
};

#define AUTH_COMMON_COUNT (sizeof auth_common_passwords / sizeof auth_common_passwords[0])

#endif
