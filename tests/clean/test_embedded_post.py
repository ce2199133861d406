"""An embedded social-media post inside a story: its attribution is a credit, its text a caption."""

from __future__ import annotations

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import removed_roles

EN = [
    "The harbour master closed the port to small boats on Friday morning after the wind picked up overnight.",
    "Ferries kept running until noon, when the waves at the harbour mouth reached four metres, the port said.",
    "Fishermen who had gone out before dawn were told by radio to come back in, and all of them did by ten.",
    "The port is expected to open again on Sunday if the forecast for the weekend holds, the harbour master said.",
]
RU = [
    "В пятницу утром капитан порта закрыл гавань для малых судов после того, как ночью усилился ветер.",
    "Паромы ходили до полудня, пока волны у входа в гавань не достигли четырёх метров, сообщили в порту.",
    "Рыбакам, которые вышли в море до рассвета, по радио велели вернуться, и к десяти часам все были на берегу.",
    "Порт, как ожидается, откроется в воскресенье, если прогноз на выходные подтвердится, сказал капитан порта.",
]



def test_post_in_english_story(cleaner: Cleaner) -> None:
    """The post's text ending with its link and the "— Name (@handle) date" line are removed."""
    post = ["Waves over the pier this morning, stay away from the sea wall https://example.org/p/1",
            "— Harbour Watch (@harbourwatch) March 3, 2024"]
    result = cleaner.clean_text("\n\n".join(EN[:2] + post + EN[2:]))
    assert result.paragraphs == EN
    assert removed_roles(result) == {post[0]: "caption", post[1]: "credit"}


def test_post_in_russian_story(cleaner: Cleaner) -> None:
    """The same in Russian, with a Russian date under the post."""
    post = ["Волны перехлёстывают через пирс, держитесь подальше от набережной pic.example.org/abc",
            "— Морской патруль (@morpatrul) 3 марта 2024 г."]
    result = cleaner.clean_text("\n\n".join(RU[:2] + post + RU[2:]))
    assert result.paragraphs == RU
    assert removed_roles(result) == {post[0]: "caption", post[1]: "credit"}


def test_quoted_handle_without_date_stays(cleaner: Cleaner) -> None:
    """A story line that names an account in parentheses but carries no date is kept."""
    line = "— Harbour Watch (@harbourwatch) posted pictures of the waves all morning."
    lines = EN[:2] + [line] + EN[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines
