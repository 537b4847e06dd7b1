"""Notice texts in the six interface languages added after 0002: Kazakh, Uzbek (Latin), Kyrgyz, Turkmen,
Tajik and Persian. Like 0002 it only adds a template that is missing (never overwrites an edited one), and the
language field takes the new choices. Variables: see kitab/notices/services.py.
"""

from django.db import migrations, models

LANGUAGES = [("en", "English"), ("az", "Azerbaijani"), ("tr", "Turkish"), ("kk", "Kazakh"), ("uz", "Uzbek"),
             ("ky", "Kyrgyz"), ("tk", "Turkmen"), ("tg", "Tajik"), ("fa", "Persian"), ("ru", "Russian")]

DUE = '{{ due_at|date:"DATE_FORMAT" }}'
DEADLINE = '{{ pickup_deadline|date:"DATE_FORMAT" }}, {{ pickup_deadline|time:"H:i" }}'
FINE_BLOCK = "    {{ fine_kind }}{% if title %}: {{ title }}{% endif %}\n"

# language -> (barcode label, due date label, greeting, closing)
FRAME = {
    "kk": ("Штрихкод", "Қайтару мерзімі", "Құрметті {{ patron_name }}!", "Құрметпен,\n{{ library_name }}"),
    "uz": ("Shtrix-kod", "Qaytarish muddati", "Hurmatli {{ patron_name }},", "Hurmat bilan,\n{{ library_name }}"),
    "ky": ("Штрихкод", "Кайтаруу мөөнөтү", "Урматтуу {{ patron_name }}!", "Урматтоо менен,\n{{ library_name }}"),
    "tk": ("Ştrih-kod", "Gaýtarmaly senesi", "Hormatly {{ patron_name }},", "Hormat bilen,\n{{ library_name }}"),
    "tg": ("Штрихкод", "Мӯҳлати баргардонидан", "Мӯҳтарам {{ patron_name }},", "Бо эҳтиром,\n{{ library_name }}"),
    "fa": ("بارکد", "تاریخ بازگشت", "{{ patron_name }} گرامی،", "با احترام،\n{{ library_name }}"),
}

# (pickup place, collect by, amount, total balance) labels
LABELS = {
    "kk": ("Алу орны", "Алу мерзімі", "Сомасы", "Жалпы берешек"),
    "uz": ("Olish joyi", "Olib ketish muddati", "Summa", "Umumiy qarz"),
    "ky": ("Алуу жери", "Алуунун акыркы мөөнөтү", "Суммасы", "Жалпы карыз"),
    "tk": ("Alyş ýeri", "Iň soňky alyş möhleti", "Möçberi", "Jemi bergi"),
    "tg": ("Ҷои гирифтан", "Гирифтан то", "Маблағ", "Қарзи умумӣ"),
    "fa": ("محل تحویل", "مهلت تحویل گرفتن", "مبلغ", "کل بدهی"),
}


def _ready(language: str, text: str) -> str:
    place, until, _amount, _total = LABELS[language]
    return f"{text}\n\n    {{{{ title }}}}\n    {place}: {{{{ pickup_branch }}}}\n    {until}: {DEADLINE}"


def _fine(language: str, text: str) -> str:
    _place, _until, amount, total = LABELS[language]
    return f"{text}\n\n{FINE_BLOCK}    {amount}: {{{{ amount }}}}\n    {total}: {{{{ balance }}}}"


def _expired(uncollected: str, unfilled: str) -> str:
    return f"{{% if uncollected %}}{uncollected}{{% else %}}{unfilled}{{% endif %}}\n\n    {{{{ title }}}}"


# kind -> language -> (subject, intro, outro); the body is greeting, intro, the item block, outro, closing.
TEXTS = {
    "due_soon": {
        "kk": (f"Еске салу: «{{{{ title }}}}» {DUE} дейін қайтарылуы тиіс",
               "Сіз алған басылымды қайтару мерзімі жақындап қалды:",
               "Оған басқа оқырман тапсырыс бермеген болса, мерзімін электрондық каталогта немесе кез келген "
               "филиалда ұзарта аласыз."),
        "uz": (f"Eslatma: «{{{{ title }}}}» {DUE} gacha qaytarilishi kerak",
               "Siz olgan nashrni qaytarish muddati yaqinlashmoqda:",
               "Uni boshqa kitobxon buyurtma qilmagan boʻlsa, muddatini elektron katalogda yoki istalgan "
               "filialda uzaytirishingiz mumkin."),
        "ky": (f"Эскертүү: «{{{{ title }}}}» {DUE} чейин кайтарылышы керек",
               "Сиз алган басылманы кайтаруу мөөнөтү жакындап калды:",
               "Аны башка окурман заказ кылбаса, мөөнөтүн электрондук каталогдо же каалаган филиалда узарта "
               "аласыз."),
        "tk": (f"Ýatlatma: «{{{{ title }}}}» {DUE} çenli gaýtarylmaly",
               "Alan neşiriňiziň gaýtarylmaly möhleti golaýlaýar:",
               "Ony başga okyjy sargyt etmedik bolsa, möhletini elektron katalogda ýa-da islendik şahamçada "
               "uzaldyp bilersiňiz."),
        "tg": (f"Ёдрас: «{{{{ title }}}}» бояд то {DUE} баргардонида шавад",
               "Мӯҳлати баргардонидани нашре, ки гирифтаед, наздик мешавад:",
               "Агар онро хонандаи дигар фармоиш надода бошад, мӯҳлаташро дар феҳристи электронӣ ё дар ҳар "
               "як филиал дароз карда метавонед."),
        "fa": (f"یادآوری: «{{{{ title }}}}» باید تا {DUE} بازگردانده شود",
               "مهلت بازگرداندن منبعی که امانت گرفته‌اید نزدیک است:",
               "اگر خوانندهٔ دیگری آن را رزرو نکرده باشد، می‌توانید مهلت آن را در فهرست برخط یا در هر یک از "
               "شعبه‌ها تمدید کنید."),
    },
    "overdue_1": {
        "kk": ("Мерзімі өтті: «{{ title }}»",
               "Келесі басылымды қайтару мерзімі өтіп кетті:",
               "Оны мүмкіндігінше тезірек қайтаруыңызды немесе мерзімін ұзартуыңызды сұраймыз. Мерзімі өткен "
               "басылымдар үшін айыппұл салынуы мүмкін, ал жаңа басылымдар алу шектелуі мүмкін."),
        "uz": ("Muddati oʻtdi: «{{ title }}»",
               "Quyidagi nashrni qaytarish muddati oʻtib ketdi:",
               "Iltimos, uni imkon qadar tezroq qaytaring yoki muddatini uzaytiring. Muddati oʻtgan nashrlar "
               "uchun jarima solinishi va yangi nashrlar olish cheklanishi mumkin."),
        "ky": ("Мөөнөтү өттү: «{{ title }}»",
               "Төмөнкү басылманы кайтаруу мөөнөтү өтүп кетти:",
               "Сураныч, аны мүмкүн болушунча тезирээк кайтарыңыз же мөөнөтүн узартыңыз. Мөөнөтү өткөн "
               "басылмалар үчүн айып пул салынышы жана жаңы басылмаларды алуу чектелиши мүмкүн."),
        "tk": ("Möhleti geçdi: «{{ title }}»",
               "Aşakdaky neşiriň gaýtarylmaly möhleti geçdi:",
               "Haýyş edýäris, ony mümkin boldugyça tiz gaýtaryň ýa-da möhletini uzaldyň. Möhleti geçen "
               "neşirler üçin jerime salnyp bilner we täze neşir almagyňyz çäklendirilip bilner."),
        "tg": ("Мӯҳлат гузашт: «{{ title }}»",
               "Мӯҳлати баргардонидани нашри зерин гузаштааст:",
               "Лутфан онро ҳарчи зудтар баргардонед ё мӯҳлаташро дароз кунед. Барои нашрҳои мӯҳлаташон "
               "гузашта ҷарима ситонида мешавад ва гирифтани нашрҳои нав метавонад маҳдуд шавад."),
        "fa": ("دیرکرد: «{{ title }}»",
               "مهلت بازگرداندن منبع زیر گذشته است:",
               "لطفاً هرچه زودتر آن را بازگردانید یا تمدید کنید. برای منابع دیرکرد ممکن است جریمه در نظر "
               "گرفته شود و امانت گرفتن منابع جدید محدود شود."),
    },
    "overdue_2": {
        "kk": ("Екінші еске салу: «{{ title }}» әлі қайтарылмады",
               "Бұл басылым туралы сізге бұрын жазған едік, бірақ ол әлі қайтарылмады:",
               "Оны кез келген филиалға кідіртпей қайтаруыңызды сұраймыз. Басылым қайтарылғанша айыппұл өсе "
               "береді."),
        "uz": ("Ikkinchi eslatma: «{{ title }}» hali qaytarilmadi",
               "Bu nashr haqida sizga avval yozgan edik, ammo u hali ham qaytarilmadi:",
               "Iltimos, uni kechiktirmasdan istalgan filialga qaytaring. Nashr qaytarilguncha jarima oshib "
               "boradi."),
        "ky": ("Экинчи эскертүү: «{{ title }}» дагы эле кайтарыла элек",
               "Бул басылма тууралуу сизге мурун жазганбыз, бирок ал дагы эле кайтарыла элек:",
               "Сураныч, аны кечиктирбестен каалаган филиалга кайтарыңыз. Басылма кайтарылганга чейин айып "
               "пул өсө берет."),
        "tk": ("Ikinji ýatlatma: «{{ title }}» heniz gaýtarylmady",
               "Bu neşir barada size öň hem ýazypdyk, emma ol heniz gaýtarylmady:",
               "Haýyş edýäris, ony gijikdirmän islendik şahamça gaýtaryň. Neşir gaýtarylýança jerime artýar."),
        "tg": ("Ёдраси дуюм: «{{ title }}» ҳанӯз баргардонида нашудааст",
               "Мо дар бораи ин нашр ба шумо пештар навишта будем, вале он ҳанӯз баргардонида нашудааст:",
               "Лутфан онро бе таъхир ба ҳар як филиал баргардонед. То баргардонидани нашр ҷарима меафзояд."),
        "fa": ("یادآوری دوم: «{{ title }}» هنوز بازگردانده نشده است",
               "پیش‌تر دربارهٔ منبع زیر برایتان نوشته بودیم، اما هنوز بازگردانده نشده است:",
               "لطفاً بی‌درنگ آن را به یکی از شعبه‌ها بازگردانید. جریمه تا روز بازگرداندن افزایش می‌یابد."),
    },
    "overdue_3": {
        "kk": ("Соңғы ескерту: «{{ title }}» қайтарылмады",
               "Еске салуларымызға қарамастан, келесі басылым әлі қайтарылмады:",
               "Ол жақын арада қайтарылмаса, жоғалған деп танылуы мүмкін, сонда оның құнын өтеуге тура келеді. "
               "Басылымды қайтарып қойған болсаңыз немесе бұл хабарлама қате жіберілді деп ойласаңыз, бізге "
               "хабарласыңыз."),
        "uz": ("Soʻnggi ogohlantirish: «{{ title }}» qaytarilmadi",
               "Eslatmalarimizga qaramay, quyidagi nashr hali ham qaytarilmadi:",
               "U yaqin orada qaytarilmasa, yoʻqolgan deb topilishi va uning qiymatini toʻlashingizga toʻgʻri "
               "kelishi mumkin. Nashrni allaqachon qaytargan boʻlsangiz yoki bu xabar xato yuborilgan deb "
               "hisoblasangiz, biz bilan bogʻlaning."),
        "ky": ("Акыркы эскертүү: «{{ title }}» кайтарылган жок",
               "Эскертүүлөрүбүзгө карабастан, төмөнкү басылма дагы эле кайтарыла элек:",
               "Ал жакын арада кайтарылбаса, жоголгон деп табылышы мүмкүн, анда анын наркын төлөөгө туура "
               "келет. Басылманы кайтарып койгон болсоңуз же бул билдирүү жаңылыш жөнөтүлдү деп ойлосоңуз, "
               "биз менен байланышыңыз."),
        "tk": ("Soňky duýduryş: «{{ title }}» gaýtarylmady",
               "Ýatlatmalarymyza garamazdan, aşakdaky neşir heniz gaýtarylmady:",
               "Ol ýakyn wagtda gaýtarylmasa, ýitirilen hasap edilip bilner we onuň bahasyny tölemeli "
               "bolarsyňyz. Neşiri eýýäm gaýtaran bolsaňyz ýa-da bu habarnama ýalňyşlyk bilen iberildi diýip "
               "pikir edýän bolsaňyz, biziň bilen habarlaşyň."),
        "tg": ("Огоҳии охирин: «{{ title }}» баргардонида нашуд",
               "Сарфи назар аз ёдрасиҳои мо, нашри зерин ҳанӯз баргардонида нашудааст:",
               "Агар он ба наздикӣ баргардонида нашавад, метавонад гумшуда ҳисобида шавад ва шумо бояд арзиши "
               "онро пардохт кунед. Агар нашрро аллакай баргардонида бошед ё фикр кунед, ки ин огоҳинома хато "
               "фиристода шудааст, бо мо тамос гиред."),
        "fa": ("آخرین اخطار: «{{ title }}» بازگردانده نشده است",
               "با وجود یادآوری‌های ما، منبع زیر هنوز بازگردانده نشده است:",
               "اگر به‌زودی بازگردانده نشود، ممکن است مفقود اعلام شود و هزینهٔ جایگزینی آن از شما دریافت شود. "
               "اگر آن را پیش‌تر بازگردانده‌اید یا فکر می‌کنید این اطلاعیه اشتباه است، لطفاً با ما تماس بگیرید."),
    },
    "hold_ready": {
        "kk": ("Тапсырысыңыз дайын: «{{ title }}»",
               _ready("kk", "Сіз тапсырыс берген басылым сізді күтіп тұр."),
               "Оқырман билетіңізді ала келіңіз. Басылымды осы мерзімге дейін алмасаңыз, ол кезектегі келесі "
               "оқырманға беріледі."),
        "uz": ("Buyurtmangiz tayyor: «{{ title }}»",
               _ready("uz", "Siz buyurtma qilgan nashr sizni kutmoqda."),
               "Kitobxon guvohnomangizni olib keling. Nashrni shu muddatgacha olmasangiz, u navbatdagi "
               "keyingi kitobxonga beriladi."),
        "ky": ("Заказыңыз даяр: «{{ title }}»",
               _ready("ky", "Сиз заказ кылган басылма сизди күтүп турат."),
               "Окурман билетиңизди ала келиңиз. Басылманы ушул мөөнөткө чейин албасаңыз, ал кезектеги "
               "кийинки окурманга берилет."),
        "tk": ("Sargydyňyz taýýar: «{{ title }}»",
               _ready("tk", "Sargyt eden neşiriňiz size garaşýar."),
               "Okyjy biletiňizi ýanyňyz bilen getiriň. Neşiri şu möhlete çenli almasaňyz, ol nobatdaky "
               "indiki okyja berler."),
        "tg": ("Фармоиши шумо омода аст: «{{ title }}»",
               _ready("tg", "Нашре, ки фармоиш додаед, шуморо интизор аст."),
               "Лутфан билети хонандагии худро биёред. Агар нашрро то ин мӯҳлат нагиред, он ба хонандаи "
               "навбатӣ дода мешавад."),
        "fa": ("رزرو شما آماده است: «{{ title }}»",
               _ready("fa", "منبعی که رزرو کرده‌اید در انتظار شماست."),
               "لطفاً کارت عضویت خود را همراه داشته باشید. اگر تا این مهلت منبع را تحویل نگیرید، به نفر بعدی "
               "صف داده می‌شود."),
    },
    "hold_expired": {
        "kk": ("Тапсырысыңыздың мерзімі бітті: «{{ title }}»",
               _expired("Сіз тапсырыс берген басылым {{ pickup_branch }} филиалында сізге сақталды, бірақ "
                        "уақытында алынбады, сондықтан тапсырыстың мерзімі бітіп, басылым келесі оқырманға "
                        "берілді.",
                        "Сізге дана босағанша тапсырысыңыздың мерзімі бітті."),
               "Электрондық каталогта немесе кез келген филиалда жаңа тапсырыс бере аласыз."),
        "uz": ("Buyurtmangiz muddati tugadi: «{{ title }}»",
               _expired("Siz buyurtma qilgan nashr {{ pickup_branch }} filialida siz uchun saqlandi, lekin "
                        "oʻz vaqtida olinmadi, shuning uchun buyurtmangiz muddati tugadi va nashr keyingi "
                        "kitobxonga berildi.",
                        "Siz uchun nusxa ajratilgunga qadar buyurtmangiz muddati tugadi."),
               "Elektron katalogda yoki istalgan filialda yangi buyurtma berishingiz mumkin."),
        "ky": ("Заказыңыздын мөөнөтү бүттү: «{{ title }}»",
               _expired("Сиз заказ кылган басылма {{ pickup_branch }} филиалында сиз үчүн сакталган, бирок "
                        "өз убагында алынган жок, ошондуктан заказдын мөөнөтү бүтүп, басылма кийинки "
                        "окурманга берилди.",
                        "Сиз үчүн нуска бошогонго чейин заказыңыздын мөөнөтү бүттү."),
               "Электрондук каталогдо же каалаган филиалда жаңы заказ бере аласыз."),
        "tk": ("Sargydyňyzyň möhleti gutardy: «{{ title }}»",
               _expired("Sargyt eden neşiriňiz {{ pickup_branch }} şahamçasynda siziň üçin saklandy, emma "
                        "wagtynda alynmady, şonuň üçin sargydyňyzyň möhleti gutardy we neşir indiki okyja "
                        "berildi.",
                        "Siziň üçin nusga boşamazdan öň sargydyňyzyň möhleti gutardy."),
               "Elektron katalogda ýa-da islendik şahamçada täze sargyt edip bilersiňiz."),
        "tg": ("Мӯҳлати фармоиши шумо гузашт: «{{ title }}»",
               _expired("Нашре, ки фармоиш дода будед, дар филиали {{ pickup_branch }} барои шумо нигоҳ дошта "
                        "шуд, вале сари вақт гирифта нашуд, бинобар ин мӯҳлати фармоиш гузашт ва нашр ба "
                        "хонандаи навбатӣ дода шуд.",
                        "Мӯҳлати фармоиши шумо пеш аз он ки барои шумо нусха холӣ шавад, гузашт."),
               "Шумо метавонед дар феҳристи электронӣ ё дар ҳар як филиал фармоиши нав диҳед."),
        "fa": ("مهلت رزرو شما به پایان رسید: «{{ title }}»",
               _expired("منبعی که رزرو کرده بودید در شعبهٔ {{ pickup_branch }} برای شما نگه داشته شد، اما "
                        "به‌موقع تحویل گرفته نشد؛ بنابراین رزرو شما منقضی شد و منبع به خوانندهٔ بعدی داده شد.",
                        "مهلت رزرو شما پیش از آنکه نسخه‌ای برایتان آزاد شود به پایان رسید."),
               "می‌توانید در فهرست برخط یا در هر یک از شعبه‌ها رزرو تازه‌ای ثبت کنید."),
    },
    "fine": {
        "kk": ("Оқырман шотыңызға төлем есептелді",
               _fine("kk", "Оқырман шотыңызға жаңа төлем қосылды:"),
               "Төлемді кез келген филиалда жасай аласыз. Берешек өтелгенше басылым алу шектелуі мүмкін."),
        "uz": ("Kutubxona hisobingizga toʻlov yozildi",
               _fine("uz", "Kutubxona hisobingizga yangi toʻlov qoʻshildi:"),
               "Toʻlovni istalgan filialda amalga oshirishingiz mumkin. Qarz toʻlanmaguncha nashr olish "
               "cheklanishi mumkin."),
        "ky": ("Окурман эсебиңизге төлөм эсептелди",
               _fine("ky", "Окурман эсебиңизге жаңы төлөм кошулду:"),
               "Төлөмдү каалаган филиалда төлөй аласыз. Карыз төлөнгөнгө чейин басылма алуу чектелиши мүмкүн."),
        "tk": ("Kitaphana hasabyňyza töleg ýazyldy",
               _fine("tk", "Kitaphana hasabyňyza täze töleg goşuldy:"),
               "Tölegi islendik şahamçada töläp bilersiňiz. Bergi tölenýänçä neşir almagyňyz çäklendirilip "
               "bilner."),
        "tg": ("Ба ҳисоби китобхонаи шумо пардохт ҳисоб карда шуд",
               _fine("tg", "Ба ҳисоби китобхонаи шумо пардохти нав илова шуд:"),
               "Пардохтро дар ҳар як филиал анҷом додан мумкин аст. То пардохти қарз гирифтани нашрҳо метавонад "
               "маҳдуд карда шавад."),
        "fa": ("هزینه‌ای به حساب کتابخانهٔ شما افزوده شد",
               _fine("fa", "هزینهٔ تازه‌ای به حساب کتابخانهٔ شما افزوده شد:"),
               "می‌توانید در هر یک از شعبه‌ها پرداخت کنید. تا پرداخت بدهی، امانت گرفتن ممکن است محدود شود."),
    },
}
LOAN_KINDS = {"due_soon", "overdue_1", "overdue_2", "overdue_3"}


def body(kind: str, language: str) -> str:
    _subject, intro, outro = TEXTS[kind][language]
    barcode, due, greeting, closing = FRAME[language]
    parts = [greeting, intro]
    if kind in LOAN_KINDS:
        parts.append(f"    {{{{ title }}}}\n    {barcode}: {{{{ barcode }}}}\n    {due}: {DUE}")
    parts += [outro, closing]
    return "\n\n".join(parts) + "\n"


def add_templates(apps, schema_editor):  # type: ignore[no-untyped-def]
    template = apps.get_model("notices", "NoticeTemplate")
    for kind, languages in TEXTS.items():
        for language, (subject, _intro, _outro) in languages.items():
            template.objects.get_or_create(kind=kind, language=language,
                                           defaults={"subject": subject, "body": body(kind, language)})


class Migration(migrations.Migration):
    dependencies = [("notices", "0002_default_templates")]

    operations = [
        migrations.AlterField(model_name="noticetemplate", name="language",
                              field=models.CharField(choices=LANGUAGES, max_length=8, verbose_name="language")),
        migrations.RunPython(add_templates, migrations.RunPython.noop),
    ]
