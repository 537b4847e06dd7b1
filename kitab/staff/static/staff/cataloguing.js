/* The MARC editor: add, remove and reorder fields and subfields with buttons or the keyboard, compose the
   leader and 008 from their labelled positions, and post the whole record as JSON (record_json).
   The server renders the rows; this script only edits them and serialises them on submit. */
(function () {
  "use strict";
  const form = document.getElementById("editor-form");
  if (!form) return;
  const list = document.getElementById("marc-fields");
  const isControl = (tag) => /^00[0-9]$/.test(tag);

  function fromTemplate(id) {
    return document.getElementById(id).content.firstElementChild.cloneNode(true);
  }

  function newSubfield(code) {
    const row = fromTemplate("tpl-subfield");
    row.querySelector(".sf-code").value = code || "";
    return row;
  }

  function newField(tag) {
    const row = fromTemplate(isControl(tag) ? "tpl-control-field" : "tpl-data-field");
    row.querySelector(".mf-tag").value = tag || "";
    row.dataset.tag = tag || "";
    const option = document.querySelector('#framework-tags option[value="' + (tag || "") + '"]');
    if (option) {
      row.querySelector(".mf-name").textContent = option.textContent;
      const inds = row.querySelectorAll(".mf-ind");
      const defaults = (option.dataset.ind || "  ").padEnd(2, " ");
      inds.forEach((input, n) => { input.value = defaults[n] === " " ? "#" : defaults[n]; });
    }
    if (!isControl(tag)) row.querySelector(".sfs").appendChild(newSubfield("a"));
    return row;
  }

  function focusFirst(row, selector) {
    const input = row.querySelector(selector);
    if (input) input.focus();
  }

  function move(row, up) {
    const sibling = up ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling) return;
    if (up) sibling.before(row); else sibling.after(row);
  }

  function fixedValue(box) {
    const width = parseInt(box.dataset.width, 10);
    const text = (box.dataset.base || "").padEnd(width, " ").slice(0, width).split("");
    box.querySelectorAll("[data-start]").forEach((input) => {
      const start = parseInt(input.dataset.start, 10);
      const length = parseInt(input.dataset.length, 10);
      const value = input.value.replace(/#/g, " ").padEnd(length, " ").slice(0, length);
      for (let i = 0; i < length; i++) text[start + i] = value[i];
    });
    return text.join("");
  }

  function serialise() {
    const leaderBox = form.querySelector('[data-fixed="leader"]');
    const state = { leader: leaderBox ? fixedValue(leaderBox) : "", fields: [] };
    list.querySelectorAll(":scope > .mf").forEach((row) => {
      const tag = row.querySelector(".mf-tag").value.trim();
      const fixed = row.querySelector('[data-fixed="008"]');
      if (fixed && tag === "008") {
        state.fields.push({ tag: tag, data: fixedValue(fixed) });
      } else if (row.querySelector(".mf-data")) {
        state.fields.push({ tag: tag, data: row.querySelector(".mf-data").value });
      } else {
        const inds = row.querySelectorAll(".mf-ind");
        const subfields = [];
        row.querySelectorAll(".sf").forEach((sf) => {
          subfields.push([sf.querySelector(".sf-code").value.trim(), sf.querySelector(".sf-value").value]);
        });
        state.fields.push({
          tag: tag,
          ind1: (inds[0] && inds[0].value) || " ",
          ind2: (inds[1] && inds[1].value) || " ",
          subfields: subfields,
        });
      }
    });
    return state;
  }

  function act(action, target) {
    const field = target.closest(".mf");
    const sub = target.closest(".sf");
    switch (action) {
      case "field-up": move(field, true); break;
      case "field-down": move(field, false); break;
      case "field-add": {
        const row = newField("");
        field.after(row);
        focusFirst(row, ".mf-tag");
        break;
      }
      case "field-remove": {
        const next = field.nextElementSibling || field.previousElementSibling;
        field.remove();
        if (next) focusFirst(next, "input");
        break;
      }
      case "sf-up": move(sub, true); break;
      case "sf-down": move(sub, false); break;
      case "sf-add": {
        const row = newSubfield("");
        sub.after(row);
        focusFirst(row, ".sf-code");
        break;
      }
      case "sf-remove": {
        const box = sub.parentElement;
        const next = sub.nextElementSibling || sub.previousElementSibling;
        sub.remove();
        if (next) focusFirst(next, ".sf-value");
        else if (!box.children.length) { const f = box.closest(".mf"); const n = f.nextElementSibling; f.remove(); if (n) focusFirst(n, "input"); }
        break;
      }
      case "field-new": {
        const input = document.getElementById("new-tag");
        const tag = input.value.trim();
        if (!/^[0-9A-Za-z]{3}$/.test(tag)) { input.focus(); return; }
        // Keep fields in tag order: insert before the first field with a higher tag.
        const row = newField(tag);
        const after = Array.from(list.children).find((r) => (r.querySelector(".mf-tag").value || "") > tag);
        if (after) after.before(row); else list.appendChild(row);
        input.value = "";
        focusFirst(row, isControl(tag) ? ".mf-data" : ".sf-code");
        break;
      }
    }
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-act]");
    if (!button) return;
    event.preventDefault();
    act(button.dataset.act, button);
  });

  form.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLElement)) return;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.querySelector("[data-save]").click();
      return;
    }
    if (!list || !list.contains(target)) {
      if (target.id === "new-tag" && event.key === "Enter") { event.preventDefault(); act("field-new", target); }
      return;
    }
    const inSub = target.closest(".sf");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (event.shiftKey || !inSub) act("field-add", target);
      else act("sf-add", target);
    } else if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      const up = event.key === "ArrowUp";
      if (event.shiftKey || !inSub) move(target.closest(".mf"), up); else move(inSub, up);
      target.focus();
    } else if (event.key === "Delete" && (event.ctrlKey || event.metaKey) && event.shiftKey) {
      event.preventDefault();
      act(inSub ? "sf-remove" : "field-remove", target);
    } else if (event.key === "Enter") {
      event.preventDefault(); // a stray Enter must not save half a record
    }
  });

  // A new data field turns into a control field (and back) when its tag says so.
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("mf-tag")) return;
    const row = input.closest(".mf");
    const tag = input.value.trim();
    row.dataset.tag = tag;
    const control = !!row.querySelector(".mf-data") || row.classList.contains("mf-fixed");
    if (isControl(tag) !== control && !row.classList.contains("mf-fixed")) {
      const replacement = newField(tag);
      row.replaceWith(replacement);
      focusFirst(replacement, isControl(tag) ? ".mf-data" : ".sf-code");
    }
  });

  form.addEventListener("submit", () => {
    if (form.dataset.mode === "marc" && list) {
      document.getElementById("record-json").value = JSON.stringify(serialise());
    }
  });
})();
