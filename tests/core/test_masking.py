import pytest

from core.masking import mask_name


@pytest.mark.parametrize("name, masked", [
    ("王", "王*"),  # 1 character: the character itself + *
    ("张三", "张*"),  # 2: surname + *
    ("张三丰", "张*丰"),  # 3: surname, *, last
    ("李四五六", "李**六"),  # 4: surname, **, last
    ("欧阳明", "欧阳*"),  # compound surname + 1
    ("欧阳明月", "欧阳*月"),  # compound surname + 2
    ("司马相如", "司马*如"),
    ("上官婉儿", "上官*儿"),
    ("诸葛亮", "诸葛*"),
    ("东方不败", "东方*败"),
    ("皇甫嵩", "皇甫*"),
    ("欧阳", "欧*"),  # two characters are never a compound surname alone
    (" 张 三 ", "张*"),  # spaces are ignored
    ("", ""),
    (None, ""),
])
def test_publicity_name_masking_table(name, masked):
    """§11 publicity: names are masked (surname kept, given name hidden but its last character for 3+)."""
    assert mask_name(name) == masked


def test_masking_never_returns_the_full_name_of_two_or_more_characters():
    """§11 publicity: a masked name always hides at least one character."""
    for name in ["张三", "张三丰", "李四五六", "欧阳明", "欧阳明月", "买买提·艾力"]:
        assert mask_name(name) != name and "*" in mask_name(name)
