namespace Workflows.Host.Mail.Templates;

/// <summary>
/// The Danish mail templates shipped with ProcesFlow (DotLiquid). A process owner overrides any of them by putting a
/// file with the same name in <c>ProcesFlow:Mail:TemplatesFolder</c>.
/// </summary>
/// <remarks>
/// Each mail has <c>{name}.subject.liquid</c>, <c>{name}.text.liquid</c> and <c>{name}.html.liquid</c>; the HTML body
/// is placed in <c>layout.html.liquid</c> as <c>content</c>. In the HTML templates every value is already
/// HTML-escaped (do not add <c>| escape</c>). Missing values render as nothing. Plain text is tidied afterwards:
/// trailing spaces go and runs of blank lines become one.
/// </remarks>
internal static class BuiltInTemplates
{
    public static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["layout.html.liquid"] = Layout,

        ["invitation.subject.liquid"] = "Høring: {{ title }}{% if caseNumber %} ({{ caseNumber }}){% endif %}",
        ["invitation.text.liquid"] = InvitationText,
        ["invitation.html.liquid"] = InvitationHtml,

        ["reminder.subject.liquid"] = "Påmindelse om høringssvar: {{ title }}",
        ["reminder.text.liquid"] = ReminderText,
        ["reminder.html.liquid"] = ReminderHtml,

        ["rykker.subject.liquid"] = "Rykker: Manglende høringssvar om {{ title }}",
        ["rykker.text.liquid"] = RykkerText,
        ["rykker.html.liquid"] = RykkerHtml,

        ["receipt.subject.liquid"] = "Kvittering for modtaget høringssvar: {{ title }}",
        ["receipt.text.liquid"] = ReceiptText,
        ["receipt.html.liquid"] = ReceiptHtml,

        // An approval or accession round ("ask": "approval" | "accession") asks for a decision, not a høringssvar.
        ["approval-request.subject.liquid"] = "{% if ask == 'accession' %}Til tiltrædelse{% else %}Til godkendelse{% endif %}: {{ title }}{% if caseNumber %} ({{ caseNumber }}){% endif %}",
        ["approval-request.text.liquid"] = ApprovalRequestText,
        ["approval-request.html.liquid"] = ApprovalRequestHtml,

        ["approval-reminder.subject.liquid"] = "Påmindelse: {% if ask == 'accession' %}tiltrædelse af{% else %}godkendelse af{% endif %} {{ title }}",
        ["approval-reminder.text.liquid"] = ApprovalReminderText,
        ["approval-reminder.html.liquid"] = ApprovalReminderHtml,

        ["approval-receipt.subject.liquid"] = "Kvittering for jeres beslutning: {{ title }}",
        ["approval-receipt.text.liquid"] = ApprovalReceiptText,
        ["approval-receipt.html.liquid"] = ApprovalReceiptHtml,

        ["extension-refused.subject.liquid"] = "Fristen er uændret: {{ title }}",
        ["extension-refused.text.liquid"] = ExtensionRefusedText,
        ["extension-refused.html.liquid"] = ExtensionRefusedHtml,

        // A mailed answer the hearing could not take (it had closed, or the process had stopped): kept for staff.
        ["answer-held.subject.liquid"] = "Jeres svar er modtaget, men ikke talt med: {{ title }}",
        ["answer-held.text.liquid"] = AnswerHeldText,
        ["answer-held.html.liquid"] = AnswerHeldHtml,

        ["deadline-changed.subject.liquid"] = "Fristen er ændret: {{ title }}",
        ["deadline-changed.text.liquid"] = DeadlineChangedText,
        ["deadline-changed.html.liquid"] = DeadlineChangedHtml,
    };

    private const string Layout = """
        <!DOCTYPE html>
        <html lang="da">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{ subject }}</title>
        </head>
        <body style="margin:0;padding:0;background-color:#f3f3f3;">
        <div style="max-width:640px;margin:0 auto;padding:24px;background-color:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;">
        {{ content }}
        <hr style="border:none;border-top:1px solid #cccccc;margin:32px 0 16px;">
        <p style="margin:0;font-size:14px;color:#4d4d4d;">Denne e-mail er sendt automatisk af ProcesFlow{% if sender %} på vegne af {{ sender }}{% endif %}.{% if caseNumber %} Sagsnummer: {{ caseNumber }}.{% endif %}</p>
        </div>
        </body>
        </html>
        """;

    private const string InvitationText = """
        Kære {{ partyName }}

        {% if sender %}{{ sender }} sender{% else %}Vi sender{% endif %} hermed {{ title }} i høring.

        {% if caseNumber %}Sagsnummer: {{ caseNumber }}
        {% endif %}{% if deadline.text %}Svar senest {{ deadline.text }}.{% endif %}

        {% if message %}{{ message }}{% endif %}

        {% if material.size > 0 %}Høringsmateriale:
        {% for m in material %}- {{ m.title }}{% if m.url %}: {{ m.url }}{% endif %}
        {% endfor %}{% endif %}

        {% if answerUrl %}Afgiv jeres høringssvar her:
        {{ answerUrl }}

        Linket er personligt for {{ partyName }}. Del det kun med dem, der skal arbejde med jeres høringssvar. På siden kan I se materialet og fristen, svare med tekst og vedhæftede filer, meddele at I ingen bemærkninger har, eller bede om længere frist.{% endif %}

        {% if deadline.text %}Fristen er vedhæftet som kalenderfil (.ics), så I kan lægge den i jeres kalender.{% endif %}

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string InvitationHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Høring: {{ title }}</h1>
        <p>Kære {{ partyName }}</p>
        <p>{% if sender %}{{ sender }} sender{% else %}Vi sender{% endif %} hermed <strong>{{ title }}</strong> i høring.</p>
        <p>{% if caseNumber %}<strong>Sagsnummer:</strong> {{ caseNumber }}<br>{% endif %}{% if deadline.text %}<strong>Svar senest {{ deadline.text }}.</strong>{% endif %}</p>
        {% if message %}<p style="white-space:pre-line;">{{ message }}</p>{% endif %}
        {% if material.size > 0 %}<h2 style="margin:24px 0 8px;font-size:18px;">Høringsmateriale</h2>
        <ul style="margin:0;padding-left:24px;">
        {% for m in material %}<li>{% if m.url %}<a href="{{ m.url }}" style="color:#0b57a4;">{{ m.title }}</a>{% else %}{{ m.title }}{% endif %}</li>
        {% endfor %}</ul>{% endif %}
        {% if answerUrl %}<h2 style="margin:24px 0 8px;font-size:18px;">Afgiv høringssvar</h2>
        <p style="margin:16px 0;"><a href="{{ answerUrl }}" style="display:inline-block;padding:12px 20px;background-color:#0b57a4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">Afgiv jeres høringssvar</a></p>
        <p>Virker knappen ikke, kan I kopiere linket til jeres browser:<br><a href="{{ answerUrl }}" style="color:#0b57a4;word-break:break-all;">{{ answerUrl }}</a></p>
        <p><strong>Linket er personligt for {{ partyName }}.</strong> Del det kun med dem, der skal arbejde med jeres høringssvar. På siden kan I se materialet og fristen, svare med tekst og vedhæftede filer, meddele at I ingen bemærkninger har, eller bede om længere frist.</p>{% endif %}
        {% if deadline.text %}<p>Fristen er vedhæftet som kalenderfil (.ics), så I kan lægge den i jeres kalender.</p>{% endif %}
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string ReminderText = """
        Kære {{ partyName }}

        Dette er en venlig påmindelse. Vi har endnu ikke modtaget jeres høringssvar om {{ title }}{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.

        {% if deadline.text %}Svar senest {{ deadline.text }}.{% endif %}

        {% if answerUrl %}Afgiv jeres høringssvar her:
        {{ answerUrl }}

        Linket er personligt for {{ partyName }}. Del det kun med dem, der skal arbejde med jeres høringssvar. Har I ingen bemærkninger, kan I også meddele det på siden.{% else %}Brug det personlige link i høringsbrevet, som I har modtaget tidligere. Har I ingen bemærkninger, kan I også meddele det på siden.{% endif %}

        Har I allerede svaret, kan I se bort fra denne påmindelse.

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string ReminderHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Påmindelse om høringssvar</h1>
        <p>Kære {{ partyName }}</p>
        <p>Dette er en venlig påmindelse. Vi har endnu ikke modtaget jeres høringssvar om <strong>{{ title }}</strong>{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.</p>
        {% if deadline.text %}<p><strong>Svar senest {{ deadline.text }}.</strong></p>{% endif %}
        {% if answerUrl %}<p style="margin:16px 0;"><a href="{{ answerUrl }}" style="display:inline-block;padding:12px 20px;background-color:#0b57a4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">Afgiv jeres høringssvar</a></p>
        <p>Virker knappen ikke, kan I kopiere linket til jeres browser:<br><a href="{{ answerUrl }}" style="color:#0b57a4;word-break:break-all;">{{ answerUrl }}</a></p>
        <p><strong>Linket er personligt for {{ partyName }}.</strong> Del det kun med dem, der skal arbejde med jeres høringssvar. Har I ingen bemærkninger, kan I også meddele det på siden.</p>{% else %}<p>Brug det personlige link i høringsbrevet, som I har modtaget tidligere. Har I ingen bemærkninger, kan I også meddele det på siden.</p>{% endif %}
        <p>Har I allerede svaret, kan I se bort fra denne påmindelse.</p>
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string RykkerText = """
        Kære {{ partyName }}

        Vi har endnu ikke modtaget jeres høringssvar om {{ title }}{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.{% if deadline.text %} Fristen var {{ deadline.text }}.{% endif %}

        Send venligst jeres høringssvar hurtigst muligt.

        {% if answerUrl %}Afgiv jeres høringssvar her:
        {{ answerUrl }}

        Linket er personligt for {{ partyName }}. Del det kun med dem, der skal arbejde med jeres høringssvar. Har I ingen bemærkninger, kan I også meddele det på siden.{% else %}Brug det personlige link i høringsbrevet, som I har modtaget tidligere. Har I ingen bemærkninger, kan I også meddele det på siden.{% endif %}

        Har I allerede svaret, kan I se bort fra denne rykker.

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string RykkerHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Rykker: Manglende høringssvar</h1>
        <p>Kære {{ partyName }}</p>
        <p>Vi har endnu ikke modtaget jeres høringssvar om <strong>{{ title }}</strong>{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.{% if deadline.text %} Fristen var {{ deadline.text }}.{% endif %}</p>
        <p><strong>Send venligst jeres høringssvar hurtigst muligt.</strong></p>
        {% if answerUrl %}<p style="margin:16px 0;"><a href="{{ answerUrl }}" style="display:inline-block;padding:12px 20px;background-color:#0b57a4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">Afgiv jeres høringssvar</a></p>
        <p>Virker knappen ikke, kan I kopiere linket til jeres browser:<br><a href="{{ answerUrl }}" style="color:#0b57a4;word-break:break-all;">{{ answerUrl }}</a></p>
        <p><strong>Linket er personligt for {{ partyName }}.</strong> Del det kun med dem, der skal arbejde med jeres høringssvar. Har I ingen bemærkninger, kan I også meddele det på siden.</p>{% else %}<p>Brug det personlige link i høringsbrevet, som I har modtaget tidligere. Har I ingen bemærkninger, kan I også meddele det på siden.</p>{% endif %}
        <p>Har I allerede svaret, kan I se bort fra denne rykker.</p>
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string ReceiptText = """
        Kære {{ partyName }}

        Tak for jeres høringssvar om {{ title }}{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.{% if receipt.receivedAt.text %} Vi modtog det {{ receipt.receivedAt.text }}.{% endif %}

        {% if receipt.late %}Svaret kom efter fristen{% if deadline.text %}, som var {{ deadline.text }}{% endif %}, og er registreret som for sent.{% endif %}

        {% if receipt.noComments %}I har meddelt, at I ingen bemærkninger har.{% endif %}

        {% if receipt.text %}Jeres svar:
        {{ receipt.text }}{% endif %}

        {% if receipt.attachments.size > 0 %}Vedhæftede filer:
        {% for a in receipt.attachments %}- {{ a }}
        {% endfor %}{% endif %}

        {% if answerUrl %}Indtil fristen kan I se og erstatte jeres svar via jeres personlige link:
        {{ answerUrl }}

        Linket er personligt for {{ partyName }}.{% endif %}

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string ReceiptHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Kvittering for modtaget høringssvar</h1>
        <p>Kære {{ partyName }}</p>
        <p>Tak for jeres høringssvar om <strong>{{ title }}</strong>{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.{% if receipt.receivedAt.text %} Vi modtog det {{ receipt.receivedAt.text }}.{% endif %}</p>
        {% if receipt.late %}<p>Svaret kom efter fristen{% if deadline.text %}, som var {{ deadline.text }}{% endif %}, og er registreret som for sent.</p>{% endif %}
        {% if receipt.noComments %}<p>I har meddelt, at I ingen bemærkninger har.</p>{% endif %}
        {% if receipt.text %}<h2 style="margin:24px 0 8px;font-size:18px;">Jeres svar</h2>
        <blockquote style="margin:0;padding:8px 16px;border-left:4px solid #cccccc;white-space:pre-line;">{{ receipt.text }}</blockquote>{% endif %}
        {% if receipt.attachments.size > 0 %}<h2 style="margin:24px 0 8px;font-size:18px;">Vedhæftede filer</h2>
        <ul style="margin:0;padding-left:24px;">
        {% for a in receipt.attachments %}<li>{{ a }}</li>
        {% endfor %}</ul>{% endif %}
        {% if answerUrl %}<p>Indtil fristen kan I se og erstatte jeres svar via jeres personlige link:<br><a href="{{ answerUrl }}" style="color:#0b57a4;word-break:break-all;">{{ answerUrl }}</a></p>
        <p><strong>Linket er personligt for {{ partyName }}.</strong></p>{% endif %}
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string DeadlineChangedText = """
        Kære {{ partyName }}

        Fristen for at afgive høringssvar om {{ title }}{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %} er ændret.

        {% if deadline.text %}Ny frist: {{ deadline.text }}
        {% endif %}{% if previousDeadline.text %}Tidligere frist: {{ previousDeadline.text }}
        {% endif %}
        {% if deadline.text %}Svar senest {{ deadline.text }}.{% endif %}

        {% if message %}{{ message }}{% endif %}

        {% if answerUrl %}Afgiv jeres høringssvar her:
        {{ answerUrl }}

        Linket er personligt for {{ partyName }}. Del det kun med dem, der skal arbejde med jeres høringssvar.{% else %}Brug det personlige link i høringsbrevet, som I har modtaget tidligere.{% endif %}

        {% if deadline.text %}Kalenderfilen (.ics) i denne e-mail flytter fristen i jeres kalender.{% endif %}

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string DeadlineChangedHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Fristen er ændret</h1>
        <p>Kære {{ partyName }}</p>
        <p>Fristen for at afgive høringssvar om <strong>{{ title }}</strong>{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %} er ændret.</p>
        <p>{% if deadline.text %}<strong>Ny frist: {{ deadline.text }}</strong><br>{% endif %}{% if previousDeadline.text %}Tidligere frist: {{ previousDeadline.text }}{% endif %}</p>
        {% if deadline.text %}<p>Svar senest {{ deadline.text }}.</p>{% endif %}
        {% if message %}<p style="white-space:pre-line;">{{ message }}</p>{% endif %}
        {% if answerUrl %}<p style="margin:16px 0;"><a href="{{ answerUrl }}" style="display:inline-block;padding:12px 20px;background-color:#0b57a4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">Afgiv jeres høringssvar</a></p>
        <p>Virker knappen ikke, kan I kopiere linket til jeres browser:<br><a href="{{ answerUrl }}" style="color:#0b57a4;word-break:break-all;">{{ answerUrl }}</a></p>
        <p><strong>Linket er personligt for {{ partyName }}.</strong> Del det kun med dem, der skal arbejde med jeres høringssvar.</p>{% else %}<p>Brug det personlige link i høringsbrevet, som I har modtaget tidligere.</p>{% endif %}
        {% if deadline.text %}<p>Kalenderfilen (.ics) i denne e-mail flytter fristen i jeres kalender.</p>{% endif %}
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string ApprovalRequestText = """
        Kære {{ partyName }}

        {% if sender %}{{ sender }} sender{% else %}Vi sender{% endif %} hermed {{ title }} {% if ask == 'accession' %}til tiltrædelse{% else %}til godkendelse{% endif %} i jeres kommunalbestyrelse, byråd eller regionsråd.

        {% if message %}{{ message }}

        {% endif %}{% if caseNumber %}Sagsnummer: {{ caseNumber }}
        {% endif %}{% if deadline.text %}Meddel jeres beslutning senest {{ deadline.text }}.{% endif %}{% if effectiveDate %} Aftalen træder i kraft {{ effectiveDate }}.{% endif %}

        {% if material.size > 0 %}Materiale:
        {% for m in material %}- {{ m.title }}{% if m.url %}: {{ m.url }}{% endif %}
        {% endfor %}{% endif %}
        {% if answerUrl %}Meddel jeres beslutning her:
        {{ answerUrl }}

        Linket er personligt for {{ partyName }}. På siden vælger I, om I {% if ask == 'accession' %}tiltræder{% else %}godkender{% endif %}, og kan vedhæfte fx beslutningsprotokollen.{% endif %}

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string ApprovalRequestHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">{% if ask == 'accession' %}Til tiltrædelse{% else %}Til godkendelse{% endif %}: {{ title }}</h1>
        <p>Kære {{ partyName }}</p>
        <p>{% if sender %}{{ sender }} sender{% else %}Vi sender{% endif %} hermed <strong>{{ title }}</strong> {% if ask == 'accession' %}til tiltrædelse{% else %}til godkendelse{% endif %} i jeres kommunalbestyrelse, byråd eller regionsråd.</p>
        {% if message %}<p style="white-space:pre-line;">{{ message }}</p>{% endif %}
        <p>{% if caseNumber %}<strong>Sagsnummer:</strong> {{ caseNumber }}<br>{% endif %}{% if deadline.text %}<strong>Meddel jeres beslutning senest {{ deadline.text }}.</strong>{% endif %}{% if effectiveDate %} Aftalen træder i kraft {{ effectiveDate }}.{% endif %}</p>
        {% if material.size > 0 %}<h2 style="margin:24px 0 8px;font-size:18px;">Materiale</h2>
        <ul style="margin:0;padding-left:24px;">
        {% for m in material %}<li>{% if m.url %}<a href="{{ m.url }}" style="color:#0b57a4;">{{ m.title }}</a>{% else %}{{ m.title }}{% endif %}</li>
        {% endfor %}</ul>{% endif %}
        {% if answerUrl %}<p style="margin:16px 0;"><a href="{{ answerUrl }}" style="display:inline-block;padding:12px 20px;background-color:#0b57a4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">Meddel jeres beslutning</a></p>
        <p>Virker knappen ikke, kan I kopiere linket til jeres browser:<br><a href="{{ answerUrl }}" style="color:#0b57a4;word-break:break-all;">{{ answerUrl }}</a></p>
        <p><strong>Linket er personligt for {{ partyName }}.</strong> På siden vælger I, om I {% if ask == 'accession' %}tiltræder{% else %}godkender{% endif %}, og kan vedhæfte fx beslutningsprotokollen.</p>{% endif %}
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string ApprovalReminderText = """
        Kære {{ partyName }}

        Vi har endnu ikke modtaget jeres beslutning om {% if ask == 'accession' %}tiltrædelse af{% else %}godkendelse af{% endif %} {{ title }}{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.

        {% if deadline.text %}Fristen er {{ deadline.text }}.{% endif %}

        {% if answerUrl %}Meddel jeres beslutning her:
        {{ answerUrl }}

        Linket er personligt for {{ partyName }}.{% else %}Brug det personlige link i den første mail.{% endif %}

        Har I allerede svaret, kan I se bort fra denne påmindelse.

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string ApprovalReminderHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Påmindelse: {{ title }}</h1>
        <p>Kære {{ partyName }}</p>
        <p>Vi har endnu ikke modtaget jeres beslutning om {% if ask == 'accession' %}tiltrædelse af{% else %}godkendelse af{% endif %} <strong>{{ title }}</strong>{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.</p>
        {% if deadline.text %}<p><strong>Fristen er {{ deadline.text }}.</strong></p>{% endif %}
        {% if answerUrl %}<p style="margin:16px 0;"><a href="{{ answerUrl }}" style="display:inline-block;padding:12px 20px;background-color:#0b57a4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">Meddel jeres beslutning</a></p>
        <p><strong>Linket er personligt for {{ partyName }}.</strong></p>{% else %}<p>Brug det personlige link i den første mail.</p>{% endif %}
        <p>Har I allerede svaret, kan I se bort fra denne påmindelse.</p>
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string ApprovalReceiptText = """
        Kære {{ partyName }}

        Tak for jeres beslutning om {{ title }}{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.{% if receipt.receivedAt.text %} Vi modtog den {{ receipt.receivedAt.text }}.{% endif %}

        Registreret: {% if receipt.decision == 'approved' %}{% if ask == 'accession' %}I tiltræder aftalen{% else %}Godkendt{% endif %}{% else %}{% if ask == 'accession' %}I tiltræder ikke aftalen{% else %}Ikke godkendt{% endif %}{% endif %}.

        {% if receipt.late %}Beslutningen kom efter fristen{% if deadline.text %}, som var {{ deadline.text }}{% endif %}.{% endif %}

        {% if receipt.text %}Jeres bemærkninger:
        {{ receipt.text }}{% endif %}

        {% if receipt.attachments.size > 0 %}Vedhæftede filer:
        {% for a in receipt.attachments %}- {{ a }}
        {% endfor %}{% endif %}

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string ApprovalReceiptHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Kvittering for jeres beslutning</h1>
        <p>Kære {{ partyName }}</p>
        <p>Tak for jeres beslutning om <strong>{{ title }}</strong>{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.{% if receipt.receivedAt.text %} Vi modtog den {{ receipt.receivedAt.text }}.{% endif %}</p>
        <p>Registreret: <strong>{% if receipt.decision == 'approved' %}{% if ask == 'accession' %}I tiltræder aftalen{% else %}Godkendt{% endif %}{% else %}{% if ask == 'accession' %}I tiltræder ikke aftalen{% else %}Ikke godkendt{% endif %}{% endif %}</strong>.</p>
        {% if receipt.late %}<p>Beslutningen kom efter fristen{% if deadline.text %}, som var {{ deadline.text }}{% endif %}.</p>{% endif %}
        {% if receipt.text %}<h2 style="margin:24px 0 8px;font-size:18px;">Jeres bemærkninger</h2>
        <blockquote style="margin:0;padding:8px 16px;border-left:4px solid #cccccc;white-space:pre-line;">{{ receipt.text }}</blockquote>{% endif %}
        {% if receipt.attachments.size > 0 %}<h2 style="margin:24px 0 8px;font-size:18px;">Vedhæftede filer</h2>
        <ul style="margin:0;padding-left:24px;">
        {% for a in receipt.attachments %}<li>{{ a }}</li>
        {% endfor %}</ul>{% endif %}
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string ExtensionRefusedText = """
        Kære {{ partyName }}

        Tak for jeres anmodning om længere frist for {{ title }}{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.{% if requestReason %} I skrev: "{{ requestReason }}"{% endif %}

        Vi kan desværre ikke forlænge fristen.{% if deadline.text %} Fristen er fortsat {{ deadline.text }}.{% endif %}

        {% if answerUrl %}I kan svare her:
        {{ answerUrl }}

        Linket er personligt for {{ partyName }}.{% else %}Brug det personlige link i høringsbrevet, som I har modtaget tidligere.{% endif %}

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string AnswerHeldText = """
        Kære {{ partyName }}

        Vi har modtaget jeres svar om {{ title }}{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %} {{ receivedAt }}.

        {% if reason == 'Faulted' %}Høringen er standset på grund af en fejl hos os{% elsif reason == 'Ended' %}Forløbet var afsluttet{% else %}Høringen var lukket{% endif %}, da svaret kom frem, så det er ikke talt med i høringen. Svaret er gemt, og sekretariatet har fået besked og vender tilbage til jer.

        Med venlig hilsen
        {% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}

        Denne e-mail er sendt automatisk af ProcesFlow.
        """;

    private const string AnswerHeldHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Jeres svar er ikke talt med</h1>
        <p>Kære {{ partyName }}</p>
        <p>Vi har modtaget jeres svar om <strong>{{ title }}</strong>{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %} {{ receivedAt }}.</p>
        <p>{% if reason == 'Faulted' %}Høringen er standset på grund af en fejl hos os{% elsif reason == 'Ended' %}Forløbet var afsluttet{% else %}Høringen var lukket{% endif %}, da svaret kom frem, så det er <strong>ikke talt med</strong> i høringen. Svaret er gemt, og sekretariatet har fået besked og vender tilbage til jer.</p>
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;

    private const string ExtensionRefusedHtml = """
        <h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;">Fristen er uændret</h1>
        <p>Kære {{ partyName }}</p>
        <p>Tak for jeres anmodning om længere frist for <strong>{{ title }}</strong>{% if caseNumber %} (sagsnummer {{ caseNumber }}){% endif %}.{% if requestReason %} I skrev: "{{ requestReason }}"{% endif %}</p>
        <p>Vi kan desværre ikke forlænge fristen.{% if deadline.text %} <strong>Fristen er fortsat {{ deadline.text }}.</strong>{% endif %}</p>
        {% if answerUrl %}<p style="margin:16px 0;"><a href="{{ answerUrl }}" style="display:inline-block;padding:12px 20px;background-color:#0b57a4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">Afgiv jeres svar</a></p>
        <p><strong>Linket er personligt for {{ partyName }}.</strong></p>{% else %}<p>Brug det personlige link i høringsbrevet, som I har modtaget tidligere.</p>{% endif %}
        <p>Med venlig hilsen<br>{% if sender %}{{ sender }}{% else %}ProcesFlow{% endif %}</p>
        """;
}
