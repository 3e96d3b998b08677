// The trainer's form (templates/trainer.html): validates each field as the reader types or leaves it (no red
// for a first value still being typed), reads an uploaded word list (refused if over 1 MB or not UTF-8, and
// Start then waits until the words change), and returns the settings only when every field is valid.
import { FIELDS, parseField, parseWords, readWordFile } from "./trainer-input.js";
import { formatSeconds } from "./trainer-view.js";

const fmt = (x) => x.toLocaleString("en");

export class TrainerForm {
  constructor(root, view, rates) {
    this.root = root;
    this.view = view;
    this.rates = rates; // steps/s measured in this page, by implementation (the panel fills it in)
    this.element = root.querySelector(".mgt-form");
    this.touched = new Set();
    this.wordsRefused = null; // why the last uploaded file was refused
    const form = this.element;
    form.addEventListener("input", (e) => {
      if (e.target.name === "words") this.wordsRefused = null;
      this.validateOne(e.target, false);
      if (e.target.name === "steps") this.hintImpl();
      this.clearFixMessage();
    });
    form.addEventListener("focusout", (e) => this.validateOne(e.target, true));
    form.addEventListener("change", (e) => {
      if (e.target.name === "data") { root.querySelector(".mgt-own").hidden = e.target.value !== "own"; this.validateWords(false); }
      if (e.target.name === "impl") this.hintImpl();
    });
    root.querySelector('input[type="file"]').addEventListener("change", (e) => this.upload(e.target));
    this.hintImpl();
  }

  validateOne(input, leaving) {
    if (input.name in FIELDS) {
      if (leaving) this.touched.add(input.name);
      const { error } = parseField(input.name, input.value);
      if (error && !this.touched.has(input.name)) return; // no red while the reader is still typing a first value
      this.view.fieldMessage(input, error);
    } else if (input.name === "words") {
      this.validateWords(leaving);
    }
  }

  validateWords(show) {
    const area = this.element.elements.words;
    if (this.element.elements.data.value !== "own") { this.view.fieldMessage(area, null); return { value: null }; }
    const result = this.wordsRefused ? { error: this.wordsRefused } : parseWords(area.value);
    if (show || !result.error || area.getAttribute("aria-invalid") === "true") {
      const summary = result.error ? null : `${fmt(result.count)} words, ${result.vocab} tokens` + (result.note ? `. ${result.note}.` : "");
      this.view.fieldMessage(area, result.error, summary);
    }
    return result;
  }

  async upload(input) {
    const file = input.files[0];
    input.value = ""; // the same file may be chosen again after a fix
    if (!file) return;
    const result = await readWordFile(file);
    this.wordsRefused = result.error ?? null;
    if (!result.error) this.element.elements.words.value = result.text;
    this.validateWords(true);
  }

  /** The form's settings, or null with every bad field marked. */
  read() {
    const values = {}, errors = [];
    for (const name of Object.keys(FIELDS)) {
      const input = this.element.elements[name];
      this.touched.add(name);
      const { value, error } = parseField(name, input.value);
      this.view.fieldMessage(input, error);
      if (error) errors.push(input); else values[name] = value;
    }
    const words = this.validateWords(true);
    if (words.error) errors.push(this.element.elements.words);
    values.data = words.value ?? null;
    values.impl = this.element.elements.impl.value;
    if (!errors.length) return values;
    errors[0].focus();
    this.view.status(`Fix the ${errors.length === 1 ? "field" : `${errors.length} fields`} marked in red first.`, "error");
    this.root.querySelector(".mgt-status").dataset.fix = "true";
    return null;
  }

  hintImpl() {
    const impl = this.element.elements.impl.value;
    this.root.classList.toggle("mgt--scalar", impl === "scalar");
    const steps = parseField("steps", this.element.elements.steps.value).value;
    const rate = this.rates[impl];
    let text = "";
    if (steps && rate) text = `≈ ${formatSeconds(steps / rate)} for ${fmt(steps)} ${impl} steps at the speed measured here`;
    else if (impl === "scalar") text = "Expect a minute or more per 1,000 steps (several on a slow machine): try 100–200 steps first.";
    this.root.querySelector(".mgt-estimate").textContent = text;
  }

  /** Temperature and sample count for "Sample again", or null with the bad one marked. */
  sampling() {
    const t = parseField("temperature", this.element.elements.temperature.value);
    const n = parseField("samples", this.element.elements.samples.value);
    this.view.fieldMessage(this.element.elements.temperature, t.error);
    this.view.fieldMessage(this.element.elements.samples, n.error);
    return t.error || n.error ? null : { temperature: t.value, samples: n.value };
  }

  clearFixMessage() { // the "Fix the fields" status goes once no field is marked any more
    const box = this.root.querySelector(".mgt-status");
    if (box.dataset.fix && !this.element.querySelector('[aria-invalid="true"]')) this.view.status("", "");
  }

  reset() {
    this.wordsRefused = null;
    this.element.reset();
    for (const input of this.element.querySelectorAll("[aria-describedby]")) this.view.fieldMessage(input, null);
    this.touched.clear();
    this.root.querySelector(".mgt-own").hidden = true;
    this.hintImpl();
  }
}
