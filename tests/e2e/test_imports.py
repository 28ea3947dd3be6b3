"""HR imports a roster in the browser, in Spanish: a file with one bad row is refused with its
Excel row number, the fixed file imports; axe passes on every page."""

import pytest
from django.core.management import call_command

from accounts.models import Employee

from .conftest import assert_accessible
from .test_campaigns import sign_in_as_hr

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "Número de empleado;Nombre completo;Correo electrónico;Dependencia;Rol;Activo\r\n"
GOOD = "900001;Ximena Ávila Núñez;ximena@example.gob.mx;OBRAS;GEN;sí\r\n"
BAD = "900002;Rogelio Peña;rogelio@example.gob.mx;OBRAS;GEN;quizás\r\n"
FIXED = BAD.replace("quizás", "no")


def upload(page, text: str) -> None:
    page.get_by_label("Plantilla de personal").check()
    page.get_by_label("Archivo").set_input_files(
        files=[{"name": "plantilla.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}]
    )
    page.get_by_role("button", name="Subir y revisar").click()


def test_hr_fixes_a_bad_row_and_imports_the_roster(db, new_page):
    call_command("seed_demo", employees=12)
    page = new_page()
    sign_in_as_hr(page)
    page.get_by_test_id("navigation").get_by_role("link", name="Recursos humanos").click()
    assert_accessible(page)
    page.get_by_role("navigation", name="Recursos humanos").get_by_role(
        "link", name="Importaciones"
    ).click()
    assert_accessible(page)

    upload(page, HEADER + GOOD + BAD)
    problems = page.get_by_test_id("import-problems")
    problems.wait_for()
    text = problems.inner_text()
    assert "Fila 3, columna F (Activo)" in text
    assert "“quizás” no es sí ni no" in text
    assert page.get_by_role("button", name="Importar", exact=True).count() == 0
    assert_accessible(page)
    assert not Employee.objects.filter(employee_number__in=["900001", "900002"]).exists()

    page.get_by_role("link", name="Importaciones").first.click()
    upload(page, HEADER + GOOD + FIXED)
    page.get_by_test_id("import-counts").wait_for()
    assert "Lista para importar" in page.get_by_test_id("import-state").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Importar", exact=True).click()
    page.get_by_text("El archivo se importó.").wait_for()
    assert_accessible(page)
    imported = dict(
        Employee.objects.filter(employee_number__startswith="9000").values_list(
            "employee_number", "active"
        )
    )
    assert imported == {"900001": True, "900002": False}
    assert Employee.objects.get(employee_number="900001").full_name == "Ximena Ávila Núñez"
