"""At the server room door, on a tablet: a manager records an authorised person's entry by
tapping a purpose and a name, a device they bring in, their exit, and a visitor with an
escort; the open list updates in place."""
from playwright.sync_api import expect


def test_door_tablet_entry_device_exit_and_visitor(page, live_server, login):
    """Can a manager record entries, a device and an exit at the door by buttons alone?"""
    login(page, 'manager.it')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Server area').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Server management areas')
    page.get_by_role('link', name='サーバールーム（本社3階）').click()
    page.get_by_role('link', name='Open the door tablet').click()

    inside = page.locator('#serverarea-open')
    door = page.locator('#serverarea-door-form')
    expect(inside).to_contain_text('Naoko Yamamoto')  # in since this morning (demo data)
    page.get_by_text('Audit', exact=True).click()
    page.get_by_role('button', name='Haruko Sato (Chair)').click()
    expect(door.get_by_role('status')).to_contain_text('Haruko Sato (Chair) entered.')
    expect(inside).to_contain_text('Haruko Sato (Chair)')
    expect(inside).to_contain_text('Audit')

    page.get_by_role('link', name='Device Haruko Sato (Chair)').click()
    expect(page.get_by_role('heading', name='Device brought in by Haruko Sato (Chair)')
           ).to_be_visible()
    page.get_by_text('Laptop PC', exact=True).click()
    page.get_by_text('Inspected', exact=True).click()
    page.get_by_role('button', name='Record the device').click()
    expect(inside).to_contain_text('Laptop PC')
    expect(inside).to_contain_text('approved by Naoko Yamamoto')

    page.get_by_role('button', name='Exit Haruko Sato (Chair)').click()
    expect(inside).to_contain_text('Haruko Sato (Chair) left.')
    expect(inside.get_by_role('button', name='Exit Haruko Sato (Chair)')).to_have_count(0)

    page.get_by_text('Accompanying a vendor', exact=True).click()
    page.get_by_text('Visitor or someone not authorised').click()
    page.get_by_label("Visitor's name").fill('木村 拓也')
    page.get_by_label("Visitor's company").fill('関東空調サービス株式会社')
    door.get_by_text('Naoko Yamamoto', exact=True).click()
    page.get_by_role('button', name="Record the visitor's entry").click()
    expect(door.get_by_role('status')).to_contain_text('木村 拓也 (関東空調サービス株式会社) entered.')
    expect(inside).to_contain_text('Escort: Naoko Yamamoto')

    page.get_by_role('link', name='Back to the area').click()
    page.get_by_role('link', name='Entries and exits').first.click()
    expect(page.locator('#serverarea-entry-rows')).to_contain_text('木村 拓也')
