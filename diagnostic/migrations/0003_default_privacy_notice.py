"""A first privacy notice, so that a new site can launch a campaign; HR replaces it with the
organisation's own text (a new version) from the campaigns pages.

Written for a Mexican municipality under the general law on personal data held by public
bodies (LGPDPPSO, 2025): a short and a full notice, necessary purposes apart from optional
ones, voluntary participation, ARCO rights and how to exercise them.
"""

from django.db import migrations

SHORT_ES = """El Gobierno Municipal, a través de su área de Recursos Humanos, es responsable de los datos personales que usted proporcione en este diagnóstico de habilidades de datos.

Finalidades necesarias: medir sus habilidades de datos frente al nivel que su puesto requiere, mostrarle sus resultados y elaborar reportes por área en los que nunca aparece una persona ni un grupo de menos personas que el mínimo fijado, para planear la capacitación.

Finalidad opcional: usar sus respuestas, sin su nombre, para comparar resultados entre campañas y publicar estadísticas abiertas. Si no está de acuerdo, escriba a la Unidad de Transparencia; su negativa no le afecta.

Su participación es voluntaria: no responder no tiene ninguna consecuencia laboral. No se transfieren sus datos a terceros. Puede consultar el aviso de privacidad integral en este mismo sitio."""

SHORT_EN = """The City Government, through its Human Resources area, is responsible for the personal data you provide in this data skills diagnostic.

Necessary purposes: to measure your data skills against the level your job requires, to show you your results and to produce department reports in which no individual and no group smaller than the set minimum ever appears, in order to plan training.

Optional purpose: to use your answers, without your name, to compare results between campaigns and to publish open statistics. If you do not agree, write to the Transparency Unit; saying no does not affect you.

Taking part is voluntary: not answering has no consequence for your job. Your data are not transferred to third parties. The full privacy notice is available on this same site."""

FULL_ES = """Aviso de privacidad integral del Diagnóstico de Habilidades de Datos

1. Responsable. El Gobierno Municipal, por conducto de su área de Recursos Humanos, es responsable del tratamiento de sus datos personales, conforme a la Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados.

2. Datos que se tratan. Su número de empleado, nombre, correo electrónico, teléfono, área, puesto y rol; sus respuestas al cuestionario y los resultados que se calculan con ellas. No se piden datos personales sensibles.

3. Finalidades necesarias. a) Medir sus habilidades de datos frente al nivel que su rol requiere; b) mostrarle sus propios resultados; c) elaborar reportes por área y por rol en los que nunca aparece una persona ni un grupo con menos respuestas que el mínimo fijado para la campaña; d) planear y dar seguimiento a la capacitación del personal.

4. Finalidades opcionales. a) Comparar resultados entre campañas con sus respuestas seudonimizadas; b) publicar estadísticas agregadas como datos abiertos. Puede negarse a estas finalidades en cualquier momento escribiendo a la Unidad de Transparencia; su negativa no afecta las finalidades necesarias ni su situación laboral.

5. Participación voluntaria. Responder el diagnóstico es voluntario. No responder, o dejarlo a medias, no tiene consecuencias laborales. Sus superiores ven solo cifras agregadas, nunca sus respuestas.

6. Fundamento legal. Las atribuciones de Recursos Humanos en materia de capacitación del personal previstas en la normatividad municipal aplicable.

7. Transferencias. Sus datos personales no se transfieren a terceros, salvo las que exija una ley o una autoridad competente.

8. Conservación. Sus respuestas individuales se conservan solo el tiempo necesario para las finalidades anteriores y después se eliminan; los reportes agregados se conservan.

9. Derechos ARCO. Usted puede pedir el acceso a sus datos, su rectificación, su cancelación u oponerse a su tratamiento (derechos ARCO), así como descargar sus propios datos y resultados desde este sitio. Presente su solicitud ante la Unidad de Transparencia del Gobierno Municipal, por escrito o por la Plataforma Nacional de Transparencia, indicando su nombre, el derecho que ejerce y un medio para recibir la respuesta. La respuesta se le dará en los plazos que fija la ley.

10. Cambios a este aviso. Cualquier cambio se publicará en este sitio como una nueva versión del aviso antes de que se aplique."""

FULL_EN = """Full privacy notice of the Data Skills Diagnostic

1. Responsible party. The City Government, through its Human Resources area, is responsible for processing your personal data under the General Law on the Protection of Personal Data Held by Public Bodies (LGPDPPSO).

2. Data processed. Your employee number, name, e-mail address, phone, department, position and job role; your answers to the questionnaire and the results calculated from them. No sensitive personal data are requested.

3. Necessary purposes. a) To measure your data skills against the level your role requires; b) to show you your own results; c) to produce department and role reports in which no individual and no group with fewer responses than the campaign's minimum ever appears; d) to plan and follow up staff training.

4. Optional purposes. a) To compare results between campaigns using your pseudonymised answers; b) to publish aggregate statistics as open data. You may refuse these purposes at any time by writing to the Transparency Unit; refusing affects neither the necessary purposes nor your employment.

5. Voluntary participation. Answering the diagnostic is voluntary. Not answering, or leaving it unfinished, has no consequence for your job. Your superiors see only aggregate figures, never your answers.

6. Legal basis. The powers of Human Resources over staff training set out in the applicable municipal regulations.

7. Transfers. Your personal data are not transferred to third parties, except where a law or a competent authority requires it.

8. Retention. Your individual answers are kept only as long as the purposes above need them and are then deleted; aggregate reports are kept.

9. ARCO rights. You may request access to your data, their rectification or cancellation, or object to their processing (ARCO rights), and you can download your own data and results from this site. Submit your request to the City Government's Transparency Unit, in writing or through the National Transparency Platform, giving your name, the right you are exercising and a way to receive the answer. You will be answered within the time limits the law sets.

10. Changes to this notice. Any change will be published on this site as a new version of the notice before it applies."""


def create_default_notice(apps, schema_editor):
    PrivacyNotice = apps.get_model("diagnostic", "PrivacyNotice")
    if PrivacyNotice.objects.exists():
        return
    PrivacyNotice.objects.create(
        version=1,
        short_text=SHORT_ES,
        short_text_es_mx=SHORT_ES,
        short_text_en=SHORT_EN,
        full_text=FULL_ES,
        full_text_es_mx=FULL_ES,
        full_text_en=FULL_EN,
    )


class Migration(migrations.Migration):
    dependencies = [("diagnostic", "0002_campaign_launch_progress")]

    operations = [migrations.RunPython(create_default_notice, migrations.RunPython.noop)]
