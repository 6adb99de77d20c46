/* Lists edited one row at a time (templates/components/forms.html, item_list).
 *
 * Without this script "Add another" and "Remove" submit the form and the page comes back with
 * a row more or fewer. With it, the rows are added and removed in place: the same markup,
 * numbered labels and ids kept in order, focus moved to where the person is working.
 */
(function () {
  "use strict";

  function setUp(group) {
    var list = group.querySelector(".sl-item-list__rows");
    var addButton = group.querySelector(".sl-item-list__add");
    var item = group.getAttribute("data-item") || "item";
    var fieldId = group.getAttribute("data-field-id");
    var minRows = parseInt(group.getAttribute("data-min-rows"), 10) || 1;
    var maxRows = parseInt(group.getAttribute("data-max-rows"), 10) || 40;
    if (!list || !fieldId) {
      return;
    }
    var label = item.charAt(0).toUpperCase() + item.slice(1);

    function rows() {
      return Array.prototype.slice.call(list.querySelectorAll(".sl-item-list__row"));
    }

    function removeButton(row) {
      return row.querySelector(".sl-item-list__remove");
    }

    function makeRemoveButton() {
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "govuk-button govuk-button--secondary sl-item-list__remove";
      button.setAttribute("data-module", "govuk-button");
      button.name = "remove_row";
      button.appendChild(document.createTextNode("Remove"));
      var hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      button.appendChild(hidden);
      return button;
    }

    // Labels, ids and Remove buttons follow the order of the rows, as the server draws them.
    function renumber() {
      var all = rows();
      all.forEach(function (row, index) {
        var box = row.querySelector("textarea");
        var id = index === 0 ? fieldId : fieldId + "-" + (index + 1);
        box.id = id;
        var rowLabel = row.querySelector("label");
        rowLabel.setAttribute("for", id);
        rowLabel.textContent = label + " " + (index + 1);
        var button = removeButton(row);
        if (all.length > minRows || box.value.trim()) {
          if (!button) {
            button = makeRemoveButton();
            row.querySelector(".sl-item-list__entry").appendChild(button);
          }
          button.value = box.name + ":" + index;
          button.querySelector(".govuk-visually-hidden").textContent =
            " " + item + " " + (index + 1);
        } else if (button) {
          button.parentNode.removeChild(button);
        }
      });
      if (addButton) {
        addButton.hidden = all.length >= maxRows;
      }
    }

    function addRow() {
      var all = rows();
      var template = all[all.length - 1];
      var row = template.cloneNode(true);
      var box = row.querySelector("textarea");
      box.value = "";
      box.removeAttribute("autofocus");
      list.appendChild(row);
      renumber();
      box.focus();
    }

    function removeRow(row) {
      var all = rows();
      var index = all.indexOf(row);
      if (all.length <= 1) {
        row.querySelector("textarea").value = "";
      } else {
        list.removeChild(row);
      }
      if (rows().length < minRows) {
        addRow();
      }
      renumber();
      var left = rows();
      var next = left[Math.min(index, left.length - 1)];
      next.querySelector("textarea").focus();
    }

    group.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target.closest("button") : null;
      if (!target || !group.contains(target)) {
        return;
      }
      if (target === addButton) {
        event.preventDefault();
        addRow();
      } else if (target.classList.contains("sl-item-list__remove")) {
        event.preventDefault();
        removeRow(target.closest(".sl-item-list__row"));
      }
    });
    group.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") {
        renumber();
      }
    });
  }

  document.querySelectorAll('[data-module="sl-item-list"]').forEach(setUp);
})();
