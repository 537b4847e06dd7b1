"""The notice texts every installation starts with, in English, Azerbaijani, Turkish and Russian.

Libraries edit them in the admin; this migration only adds a template that is missing, so it never overwrites
an edited one. Variables: see kitab/notices/services.py.
"""

from django.db import migrations

LOAN_BLOCK = {
    "en": "    {{ title }}\n    Barcode: {{ barcode }}\n    Due date: {{ due_at|date:\"DATE_FORMAT\" }}",
    "az": "    {{ title }}\n    Barkod: {{ barcode }}\n    Qaytarılma tarixi: {{ due_at|date:\"DATE_FORMAT\" }}",
    "tr": "    {{ title }}\n    Barkod: {{ barcode }}\n    İade tarihi: {{ due_at|date:\"DATE_FORMAT\" }}",
    "ru": "    {{ title }}\n    Штрихкод: {{ barcode }}\n    Вернуть до: {{ due_at|date:\"DATE_FORMAT\" }}",
}
GREETING = {
    "en": "Dear {{ patron_name }},",
    "az": "Hörmətli {{ patron_name }},",
    "tr": "Sayın {{ patron_name }},",
    "ru": "Здравствуйте, {{ patron_name }}!",
}
CLOSING = {
    "en": "Kind regards,\n{{ library_name }}",
    "az": "Hörmətlə,\n{{ library_name }}",
    "tr": "Saygılarımızla,\n{{ library_name }}",
    "ru": "С уважением,\n{{ library_name }}",
}
DEADLINE = '{{ pickup_deadline|date:"DATE_FORMAT" }}, {{ pickup_deadline|time:"H:i" }}'
FINE_BLOCK = "    {{ fine_kind }}{% if title %}: {{ title }}{% endif %}\n"

# kind -> language -> (subject, intro, outro); the body is greeting, intro, the item block, outro, closing.
TEXTS = {
    "due_soon": {
        "en": ('Reminder: "{{ title }}" is due on {{ due_at|date:"DATE_FORMAT" }}',
               "The item you borrowed is due back soon:",
               "You can renew it in the online catalogue or at any branch, unless another reader has reserved it."),
        "az": ('Xatırlatma: "{{ title }}" {{ due_at|date:"DATE_FORMAT" }} tarixində qaytarılmalıdır',
               "Götürdüyünüz nəşrin qaytarılma vaxtı yaxınlaşır:",
               ("Başqa oxucu onu sifariş etməyibsə, müddətini onlayn kataloqda və ya istənilən filialda uzada "
               "bilərsiniz.")),
        "tr": ('Hatırlatma: "{{ title }}" için iade tarihi {{ due_at|date:"DATE_FORMAT" }}',
               "Ödünç aldığınız materyalin iade tarihi yaklaşıyor:",
               ("Başka bir okuyucu ayırtmadıysa süresini çevrimiçi katalogdan ya da herhangi bir şubemizden "
               "uzatabilirsiniz.")),
        "ru": ('Напоминание: «{{ title }}» нужно вернуть до {{ due_at|date:"DATE_FORMAT" }}',
               "Срок возврата взятого вами издания скоро истекает:",
               ("Вы можете продлить его в электронном каталоге или в любом филиале, если издание не заказал "
               "другой читатель.")),
    },
    "overdue_1": {
        "en": ('Overdue: "{{ title }}"',
               "The following item is now overdue:",
               ("Please return or renew it as soon as you can. Overdue items may be fined, and they can stop you "
               "from borrowing more.")),
        "az": ('Gecikmə: "{{ title }}"',
               "Aşağıdakı nəşrin qaytarılma vaxtı keçib:",
               ("Xahiş edirik, onu mümkün qədər tez qaytarın və ya müddətini uzadın. Gecikdirilmiş nəşrlərə görə "
               "cərimə tətbiq oluna bilər və yeni nəşr götürmək imkanınız məhdudlaşa bilər.")),
        "tr": ('İade süresi geçti: "{{ title }}"',
               "Aşağıdaki materyalin iade süresi geçmiştir:",
               ("Lütfen en kısa sürede iade edin ya da süresini uzatın. Geciken materyaller için para cezası "
               "uygulanabilir ve yeni ödünç almanız kısıtlanabilir.")),
        "ru": ("Просрочен возврат: «{{ title }}»",
               "Срок возврата следующего издания истёк:",
               ("Пожалуйста, верните или продлите его как можно скорее. За просрочку может начисляться штраф, "
               "а выдача новых изданий может быть ограничена.")),
    },
    "overdue_2": {
        "en": ('Second reminder: "{{ title }}" is overdue',
               "We wrote to you earlier about the item below, and it has still not been returned:",
               ("Please bring it back to any branch without delay. Fines keep growing until the item is "
               "returned.")),
        "az": ('İkinci xatırlatma: "{{ title }}" hələ qaytarılmayıb',
               "Aşağıdakı nəşr barədə sizə artıq yazmışdıq, lakin o, hələ də qaytarılmayıb:",
               ("Xahiş edirik, onu gecikdirmədən istənilən filiala qaytarın. Nəşr qaytarılanadək cərimə artmağa "
               "davam edir.")),
        "tr": ('İkinci hatırlatma: "{{ title }}" hâlâ iade edilmedi',
               "Aşağıdaki materyal için size daha önce yazmıştık, ancak henüz iade edilmedi:",
               ("Lütfen gecikmeden herhangi bir şubemize iade edin. Materyal iade edilene kadar ceza artmaya "
               "devam eder.")),
        "ru": ("Второе напоминание: «{{ title }}» не возвращено",
               "Мы уже писали вам об этом издании, но оно до сих пор не возвращено:",
               "Пожалуйста, без промедления верните его в любой филиал. Штраф растёт до дня возврата."),
    },
    "overdue_3": {
        "en": ('Final notice: "{{ title }}" is overdue',
               "Despite our reminders, the item below is still overdue:",
               ("If it is not returned soon, it may be declared lost and you will be charged for its "
               "replacement. If you have already returned it, or believe this notice is a mistake, please "
               "contact us.")),
        "az": ('Son xəbərdarlıq: "{{ title }}" qaytarılmayıb',
               "Xatırlatmalarımıza baxmayaraq, aşağıdakı nəşr hələ də qaytarılmayıb:",
               ("Əgər o, yaxın vaxtda qaytarılmasa, itmiş hesab oluna bilər və onun dəyərini ödəməli olacaqsınız. "
               "Nəşri artıq qaytarmısınızsa və ya bu bildirişin səhv göndərildiyini düşünürsünüzsə, bizimlə "
               "əlaqə saxlayın.")),
        "tr": ('Son uyarı: "{{ title }}" iade edilmedi',
               "Hatırlatmalarımıza rağmen aşağıdaki materyal hâlâ iade edilmedi:",
               ("Yakında iade edilmezse kayıp sayılabilir ve bedelini ödemeniz gerekir. Materyali zaten iade "
               "ettiyseniz ya da bu bildirimin bir hata olduğunu düşünüyorsanız lütfen bizimle iletişime geçin.")),
        "ru": ("Последнее предупреждение: «{{ title }}» не возвращено",
               "Несмотря на наши напоминания, следующее издание всё ещё не возвращено:",
               ("Если оно не будет возвращено в ближайшее время, его могут признать утерянным, и вам придётся "
               "возместить его стоимость. Если вы уже вернули издание или считаете, что уведомление отправлено "
               "по ошибке, свяжитесь с нами.")),
    },
    "hold_ready": {
        "en": ('Your hold is ready: "{{ title }}"',
               "Good news: the item you reserved is waiting for you.\n\n    {{ title }}\n"
               "    Pick up at: {{ pickup_branch }}\n    Collect by: " + DEADLINE,
               ("Please bring your library card. If you do not collect the item by then, it will go to the next "
               "reader in the queue.")),
        "az": ('Sifarişiniz hazırdır: "{{ title }}"',
               "Sifariş etdiyiniz nəşr sizi gözləyir.\n\n    {{ title }}\n"
               "    Götürmə yeri: {{ pickup_branch }}\n    Son götürmə vaxtı: " + DEADLINE,
               ("Oxucu biletinizi özünüzlə gətirməyi unutmayın. Nəşri bu vaxta qədər götürməsəniz, o, növbədəki "
               "növbəti oxucuya veriləcək.")),
        "tr": ('Ayırttığınız materyal hazır: "{{ title }}"',
               "Ayırttığınız materyal sizi bekliyor.\n\n    {{ title }}\n"
               "    Teslim alma yeri: {{ pickup_branch }}\n    Son teslim alma: " + DEADLINE,
               ("Lütfen kütüphane kartınızı yanınızda getirin. Bu tarihe kadar teslim almazsanız materyal sıradaki "
               "okuyucuya verilecektir.")),
        "ru": ("Ваш заказ готов к выдаче: «{{ title }}»",
               "Заказанное вами издание ждёт вас.\n\n    {{ title }}\n"
               "    Место выдачи: {{ pickup_branch }}\n    Забрать до: " + DEADLINE,
               ("Не забудьте читательский билет. Если вы не заберёте издание до этого срока, оно перейдёт "
               "следующему читателю в очереди.")),
    },
    "hold_expired": {
        "en": ('Your hold has expired: "{{ title }}"',
               ("{% if uncollected %}The item you reserved was kept for you at {{ pickup_branch }}, but it was not "
               "collected in time, so your hold has expired and the item has gone to the next reader."
               "{% else %}Your hold expired before a copy became available for you.{% endif %}"
               "\n\n    {{ title }}"),
               "You are welcome to place a new hold in the online catalogue or at any branch."),
        "az": ('Sifarişinizin müddəti bitdi: "{{ title }}"',
               ("{% if uncollected %}Sifariş etdiyiniz nəşr {{ pickup_branch }} filialında sizin üçün saxlanılırdı, "
               "lakin vaxtında götürülmədi. Buna görə sifarişinizin müddəti bitdi və nəşr növbəti oxucuya verildi."
               "{% else %}Sizin üçün nüsxə ayrılana qədər sifarişinizin müddəti bitdi.{% endif %}"
               "\n\n    {{ title }}"),
               "Onlayn kataloqda və ya istənilən filialda yeni sifariş verə bilərsiniz."),
        "tr": ('Ayırtmanızın süresi doldu: "{{ title }}"',
               ("{% if uncollected %}Ayırttığınız materyal {{ pickup_branch }} şubesinde sizin için bekletildi, "
               "ancak zamanında teslim alınmadığı için ayırtmanızın süresi doldu ve materyal sıradaki okuyucuya "
               "verildi.{% else %}Sizin için bir nüsha ayrılamadan ayırtmanızın süresi doldu.{% endif %}"
               "\n\n    {{ title }}"),
               "Çevrimiçi katalogdan ya da herhangi bir şubemizden yeni bir ayırtma yapabilirsiniz."),
        "ru": ("Срок вашего заказа истёк: «{{ title }}»",
               ("{% if uncollected %}Заказанное вами издание ждало вас в филиале {{ pickup_branch }}, но не было "
               "получено вовремя, поэтому срок заказа истёк, а издание передано следующему читателю."
               "{% else %}Срок вашего заказа истёк раньше, чем для вас освободился экземпляр.{% endif %}"
               "\n\n    {{ title }}"),
               "Вы можете оформить новый заказ в электронном каталоге или в любом филиале."),
    },
    "fine": {
        "en": ("A charge on your library account",
               "A charge has been added to your library account:\n\n" + FINE_BLOCK
               + "    Amount: {{ amount }}\n    Total balance: {{ balance }}",
               "You can pay at any branch. While the balance is unpaid, borrowing may be restricted."),
        "az": ("Kitabxana hesabınıza ödəniş yazıldı",
               "Kitabxana hesabınıza yeni ödəniş əlavə olundu:\n\n" + FINE_BLOCK
               + "    Məbləğ: {{ amount }}\n    Ümumi borc: {{ balance }}",
               ("Ödənişi istənilən filialda edə bilərsiniz. Borc ödənilənədək nəşr götürmək imkanınız "
               "məhdudlaşdırıla bilər.")),
        "tr": ("Kütüphane hesabınıza borç eklendi",
               "Kütüphane hesabınıza yeni bir borç eklendi:\n\n" + FINE_BLOCK
               + "    Tutar: {{ amount }}\n    Toplam borç: {{ balance }}",
               ("Ödemeyi herhangi bir şubemizde yapabilirsiniz. Borç ödenene kadar ödünç alma hakkınız "
               "kısıtlanabilir.")),
        "ru": ("Начисление на вашем читательском счёте",
               "На ваш читательский счёт добавлено начисление:\n\n" + FINE_BLOCK
               + "    Сумма: {{ amount }}\n    Общая задолженность: {{ balance }}",
               ("Оплатить можно в любом филиале. Пока задолженность не погашена, выдача изданий может быть "
               "ограничена.")),
    },
}
LOAN_KINDS = {"due_soon", "overdue_1", "overdue_2", "overdue_3"}


def body(kind: str, language: str) -> str:
    _subject, intro, outro = TEXTS[kind][language]
    parts = [GREETING[language], intro]
    if kind in LOAN_KINDS:
        parts.append(LOAN_BLOCK[language])
    parts += [outro, CLOSING[language]]
    return "\n\n".join(parts) + "\n"


def add_templates(apps, schema_editor):  # type: ignore[no-untyped-def]
    template = apps.get_model("notices", "NoticeTemplate")
    for kind, languages in TEXTS.items():
        for language, (subject, _intro, _outro) in languages.items():
            template.objects.get_or_create(kind=kind, language=language,
                                           defaults={"subject": subject, "body": body(kind, language)})


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
